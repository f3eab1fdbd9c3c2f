// Micro benchmarks for the SIP message layer: parse of the seed INVITE, and the proxy's
// parse + edit (To rewrite, Via insert) + serialize cycle. Figures, never assertions.
#include <fstream>
#include <iterator>
#include <string>

#include <benchmark/benchmark.h>

#include "sip/message/edits.h"
#include "sip/parser/parser.h"

namespace {

std::string readShared(const char* relative) {
  std::ifstream in(std::string(GH_SHARED_DIR) + "/" + relative, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

const std::string& seedInvite() {
  static const std::string bytes = readShared("corpus/seed/seed-invite.normalized.sip");
  return bytes;
}

const std::string& pbxInvite() {
  static const std::string bytes = readShared("corpus/seed/pbx-invite.RECONSTRUCTED.sip");
  return bytes;
}

void bmParseSeedInvite(benchmark::State& state) {
  const std::string& wire = seedInvite();
  if (!gh::sip::parseMessage(wire)) {
    state.SkipWithError("seed INVITE failed to parse");
    return;
  }
  for (auto _ : state) {
    auto msg = gh::sip::parseMessage(wire);
    benchmark::DoNotOptimize(msg);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(wire.size()));
}

BENCHMARK(bmParseSeedInvite);

void bmRewriteCycle(benchmark::State& state) {
  const std::string& wire = pbxInvite();
  if (!gh::sip::parseMessage(wire)) {
    state.SkipWithError("PBX INVITE failed to parse");
    return;
  }
  for (auto _ : state) {
    auto msg = gh::sip::parseMessage(wire);
    gh::sip::MessageEdits edits;
    edits.replaceValue(msg->indexOf(*msg->first(gh::sip::HeaderId::To)),
                       "<sip:87000@df6b236d-056d-416a-8f5f-f2e8e1a0238d.um.outlook.com>");
    edits.prepend("Via", "SIP/2.0/TLS sbc.example.com:5061;branch=z9hG4bKf5ce.075c1223046356d5");
    std::string out = gh::sip::serialize(*msg, edits);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(bmRewriteCycle);

void bmTypedAccess(benchmark::State& state) {
  auto msg = gh::sip::parseMessage(seedInvite());
  if (!msg) {
    state.SkipWithError("seed INVITE failed to parse");
    return;
  }
  for (auto _ : state) {
    auto via = msg->topVia();
    auto to = msg->to();
    auto cseq = msg->cseq();
    benchmark::DoNotOptimize(via);
    benchmark::DoNotOptimize(to);
    benchmark::DoNotOptimize(cseq);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(bmTypedAccess);

} // namespace

BENCHMARK_MAIN();
