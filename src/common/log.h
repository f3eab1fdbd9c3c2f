#pragma once
// Logging facade: one line per event, a level per module. spdlog stays inside log.cc.
//
//   GH_LOG_INFO(Module::Sip, "call-id={} 488 from {}: {}", call_id, peer, reason);
//
// The level check is a relaxed atomic load, so a disabled line costs no formatting.

#include <array>
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace gh::log {

enum class Level : uint8_t { Trace, Debug, Info, Warn, Error, Off };
enum class Module : uint8_t { Main, Config, Sip, Transport, Transaction, Call, Media, Ng, Count };

inline constexpr std::size_t kModuleCount = static_cast<std::size_t>(Module::Count);

std::string_view moduleName(Module module);
std::optional<Module> moduleFromName(std::string_view name);
std::string_view levelName(Level level);
std::optional<Level> levelFromName(std::string_view name);

namespace detail {
extern std::array<std::atomic<uint8_t>, kModuleCount> levels;
void write(Module module, Level level, std::string_view line);
} // namespace detail

inline bool enabled(Module module, Level level) {
  return static_cast<uint8_t>(level) >=
         detail::levels[static_cast<std::size_t>(module)].load(std::memory_order_relaxed);
}

void setLevel(Module module, Level level);
void setAllLevels(Level level);
// Sends lines to stderr (the default) or, when `path` is not empty, appends them to that file.
bool setOutput(const std::string& path);

} // namespace gh::log

#define GH_LOG(module, level, ...)                                                                 \
  do {                                                                                             \
    if (::gh::log::enabled(::gh::log::module, ::gh::log::level)) {                                 \
      ::gh::log::detail::write(::gh::log::module, ::gh::log::level, fmt::format(__VA_ARGS__));     \
    }                                                                                              \
  } while (false)

#define GH_LOG_TRACE(module, ...) GH_LOG(module, Level::Trace, __VA_ARGS__)
#define GH_LOG_DEBUG(module, ...) GH_LOG(module, Level::Debug, __VA_ARGS__)
#define GH_LOG_INFO(module, ...) GH_LOG(module, Level::Info, __VA_ARGS__)
#define GH_LOG_WARN(module, ...) GH_LOG(module, Level::Warn, __VA_ARGS__)
#define GH_LOG_ERROR(module, ...) GH_LOG(module, Level::Error, __VA_ARGS__)
