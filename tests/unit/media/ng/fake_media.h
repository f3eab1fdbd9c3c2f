#pragma once
// A MediaControl that records what it was asked and answers from canned results, either at once
// (like the in-process engine) or when the test says so (like a remote one).

#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "media/api/media_control.h"

namespace gh::media::ng::test {

class FakeMedia : public MediaControl {
public:
  bool deferred = false; // hold completions until runDeferred()
  MediaResult<std::string> sdp_result = std::string("v=0\r\n");
  MediaResult<CallStats> stats_result = CallStats{};
  std::vector<std::string> calls = {"call-1"};
  GlobalStats global;

  std::vector<OfferParams> offers;
  std::vector<AnswerParams> answers;
  std::vector<DeleteParams> deletes;
  std::vector<std::string> queries;
  std::vector<std::size_t> list_limits;

  void offer(const OfferParams& p, SdpDone done) override {
    offers.push_back(p);
    complete([this, done] { done(sdp_result); });
  }

  void answer(const AnswerParams& p, SdpDone done) override {
    answers.push_back(p);
    complete([this, done] { done(sdp_result); });
  }

  void remove(const DeleteParams& p, StatsDone done) override {
    deletes.push_back(p);
    complete([this, done] { done(stats_result); });
  }

  void query(const std::string& call_id, StatsDone done) override {
    queries.push_back(call_id);
    complete([this, done] { done(stats_result); });
  }

  std::vector<std::string> list(std::size_t limit) override {
    list_limits.push_back(limit);
    return calls;
  }

  GlobalStats statistics() override { return global; }

  void setEventHandler(std::function<void(const MediaEvent&)>) override {}

  void runDeferred() {
    auto pending = std::move(pending_);
    pending_.clear();
    for (auto& fn : pending)
      fn();
  }

  std::size_t deferredCount() const { return pending_.size(); }

private:
  void complete(std::function<void()> fn) {
    if (deferred)
      pending_.push_back(std::move(fn));
    else
      fn();
  }

  std::deque<std::function<void()>> pending_;
};

} // namespace gh::media::ng::test
