#include "common/log.h"

#include <memory>
#include <mutex>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "common/text.h"

namespace gh::log {
namespace {

constexpr std::array<std::string_view, kModuleCount> kModuleNames = {
    "main", "config", "sip", "transport", "transaction", "call", "media", "ng"};
constexpr std::array<std::string_view, 6> kLevelNames = {"trace", "debug", "info",
                                                         "warn",  "error", "off"};

std::mutex sink_mutex;
std::shared_ptr<spdlog::logger> logger;

spdlog::logger& instance() {
  std::lock_guard lock(sink_mutex);
  if (!logger) {
    logger = std::make_shared<spdlog::logger>("gatehouse",
                                              std::make_shared<spdlog::sinks::stderr_sink_mt>());
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %v");
    logger->set_level(spdlog::level::trace);
    logger->flush_on(spdlog::level::trace);
  }
  return *logger;
}

spdlog::level::level_enum toSpd(Level level) {
  switch (level) {
  case Level::Trace: return spdlog::level::trace;
  case Level::Debug: return spdlog::level::debug;
  case Level::Info: return spdlog::level::info;
  case Level::Warn: return spdlog::level::warn;
  case Level::Error: return spdlog::level::err;
  case Level::Off: return spdlog::level::off;
  }
  return spdlog::level::info;
}

} // namespace

namespace detail {
// Every module starts at Info (value 2); the array is constant-initialised, so logging works
// even from other static initialisers.
std::array<std::atomic<uint8_t>, kModuleCount> levels = {2, 2, 2, 2, 2, 2, 2, 2};
static_assert(static_cast<uint8_t>(Level::Info) == 2 && kModuleCount == 8);

void write(Module module, Level level, std::string_view line) {
  instance().log(toSpd(level), "[{}] {}", moduleName(module), line);
}
} // namespace detail

std::string_view moduleName(Module module) {
  auto i = static_cast<std::size_t>(module);
  return i < kModuleCount ? kModuleNames[i] : "?";
}

std::optional<Module> moduleFromName(std::string_view name) {
  for (std::size_t i = 0; i < kModuleCount; ++i) {
    if (iequals(kModuleNames[i], name)) {
      return static_cast<Module>(i);
    }
  }
  return std::nullopt;
}

std::string_view levelName(Level level) {
  return kLevelNames[static_cast<std::size_t>(level)];
}

std::optional<Level> levelFromName(std::string_view name) {
  for (std::size_t i = 0; i < kLevelNames.size(); ++i) {
    if (iequals(kLevelNames[i], name)) {
      return static_cast<Level>(i);
    }
  }
  if (iequals(name, "warning")) {
    return Level::Warn;
  }
  return std::nullopt;
}

void setLevel(Module module, Level level) {
  detail::levels[static_cast<std::size_t>(module)].store(static_cast<uint8_t>(level));
}

void setAllLevels(Level level) {
  for (auto& l : detail::levels) {
    l.store(static_cast<uint8_t>(level));
  }
}

bool setOutput(const std::string& path) {
  instance(); // make sure the default exists before it is swapped
  std::shared_ptr<spdlog::sinks::sink> sink;
  try {
    if (path.empty()) {
      sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    } else {
      sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(path);
    }
  } catch (const spdlog::spdlog_ex&) {
    return false;
  }
  std::lock_guard lock(sink_mutex);
  logger->sinks().clear();
  logger->sinks().push_back(std::move(sink));
  return true;
}

} // namespace gh::log
