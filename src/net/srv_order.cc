#include "net/srv_order.h"

#include <algorithm>
#include <random>

namespace gh::net {

SrvRandom defaultSrvRandom() {
  return [](uint32_t bound) {
    static std::mt19937 engine{std::random_device{}()};
    return std::uniform_int_distribution<uint32_t>(0, bound)(engine);
  };
}

std::vector<SrvRecord> orderSrv(std::vector<SrvRecord> records, const SrvRandom& random) {
  std::stable_sort(records.begin(), records.end(),
                   [](const SrvRecord& a, const SrvRecord& b) { return a.priority < b.priority; });
  std::vector<SrvRecord> out;
  out.reserve(records.size());
  auto group_begin = records.begin();
  while (group_begin != records.end()) {
    auto group_end = std::find_if(group_begin, records.end(), [&](const SrvRecord& r) {
      return r.priority != group_begin->priority;
    });
    std::vector<SrvRecord> group(group_begin, group_end);
    // RFC 2782: zero-weight entries first, so they are picked only when the sum allows it.
    std::stable_partition(group.begin(), group.end(),
                          [](const SrvRecord& r) { return r.weight == 0; });
    while (!group.empty()) {
      uint32_t sum = 0;
      for (const auto& r : group) {
        sum += r.weight;
      }
      uint32_t pick = random(sum);
      uint32_t running = 0;
      std::size_t chosen = group.size() - 1;
      for (std::size_t i = 0; i < group.size(); ++i) {
        running += group[i].weight;
        if (running >= pick) {
          chosen = i;
          break;
        }
      }
      out.push_back(std::move(group[chosen]));
      group.erase(group.begin() + static_cast<std::ptrdiff_t>(chosen));
    }
    group_begin = group_end;
  }
  return out;
}

} // namespace gh::net
