#include "media/ng/cookie_cache.h"

namespace gh::media::ng {

void CookieCache::expire(Clock::time_point now) {
  while (!order_.empty() &&
         (order_.front().second + options_.ttl <= now || entries_.size() > options_.max_entries)) {
    auto it = entries_.find(order_.front().first);
    // An entry re-inserted after eviction has a newer birth and its own place in the queue.
    if (it != entries_.end() && it->second.born == order_.front().second)
      entries_.erase(it);
    order_.pop_front();
  }
}

CookieCache::Entry& CookieCache::insert(const std::string& key, Clock::time_point now) {
  auto [it, fresh] = entries_.try_emplace(key);
  if (fresh) {
    it->second.born = now;
    order_.emplace_back(key, now);
  }
  return it->second;
}

CookieCache::Hit CookieCache::lookup(const std::string& key, Clock::time_point now) {
  expire(now);
  auto it = entries_.find(key);
  if (it == entries_.end())
    return {};
  if (it->second.pending)
    return {State::Pending, nullptr};
  return {State::Done, &it->second.reply};
}

void CookieCache::markPending(const std::string& key, Clock::time_point now) {
  Entry& e = insert(key, now);
  e.pending = true;
  expire(now);
}

void CookieCache::store(const std::string& key, std::string reply, Clock::time_point now) {
  Entry& e = insert(key, now);
  e.reply = std::move(reply);
  e.pending = false;
  expire(now);
}

} // namespace gh::media::ng
