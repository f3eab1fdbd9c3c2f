#include "app/demo/ladder.h"

#include <algorithm>

#include <fmt/format.h>

namespace gh::app::demo {

namespace {

// Lifeline columns after the time stamp; an arrow fills the space between two of them.
constexpr std::size_t kColumn[] = {0, 26, 52};
constexpr std::size_t kWidth = 53;

std::size_t column(Party p) {
  return kColumn[static_cast<std::size_t>(p)];
}

std::string lifelines() {
  std::string line(kWidth, ' ');
  for (std::size_t c : kColumn)
    line[c] = '|';
  return line;
}

std::string arrow(Party from, Party to, std::string_view label) {
  std::string line = lifelines();
  std::size_t left = std::min(column(from), column(to)) + 1;
  std::size_t right = std::max(column(from), column(to)) - 1;
  for (std::size_t i = left; i <= right; ++i)
    line[i] = '-';
  if (column(from) < column(to))
    line[right] = '>';
  else
    line[left] = '<';
  std::size_t room = right - left - 3; // keep the arrow head and a dash each side visible
  std::string text = fmt::format(" {} ", label.substr(0, room - 2));
  std::size_t at = left + 2;
  line.replace(at, text.size(), text);
  return line;
}

} // namespace

Ladder::Ladder() : start_(std::chrono::steady_clock::now()) {}

void Ladder::add(Party from, Party to, std::string_view label, std::string_view note) {
  std::lock_guard lock(mutex_);
  events_.push_back({std::chrono::steady_clock::now() - start_, from, to, false, std::string(label),
                     std::string(note)});
}

void Ladder::remark(Party at, std::string_view text) {
  std::lock_guard lock(mutex_);
  events_.push_back(
      {std::chrono::steady_clock::now() - start_, at, at, true, std::string(), std::string(text)});
}

std::string Ladder::render(std::string_view pbx_name, std::string_view microsoft_name) const {
  std::vector<Event> events;
  {
    std::lock_guard lock(mutex_);
    events = events_;
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const Event& a, const Event& b) { return a.at < b.at; });
  std::string out;
  std::string head(kWidth, ' ');
  auto put = [&head](std::size_t col, std::string_view name, bool right_align) {
    std::size_t at = right_align && name.size() <= col + 1 ? col + 1 - name.size() : col;
    if (!right_align && col >= name.size() / 2)
      at = col - name.size() / 2;
    head.resize(std::max(head.size(), at + name.size()), ' ');
    head.replace(at, name.size(), name);
  };
  put(column(Party::Pbx), pbx_name, false);
  put(column(Party::Gatehouse), "Gatehouse", false);
  put(column(Party::Microsoft), microsoft_name, false);
  out += fmt::format("  {:>8}  {}\n", "time", head);
  for (const Event& e : events) {
    double ms = std::chrono::duration<double, std::milli>(e.at).count();
    std::string body = e.is_remark ? lifelines() : arrow(e.from, e.to, e.label);
    out += fmt::format("  {:>6.0f}ms  {}  {}\n", ms, body, e.note);
  }
  return out;
}

} // namespace gh::app::demo
