#pragma once
// Fakes and message factories for the transaction and dialog tests: a transport that records
// what it sends (and can fail on demand), a TU that records every callback, and request and
// response text with every field a test may want to vary.

#include <cstdlib>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "net/endpoint.h"
#include "sip/parser/parser.h"
#include "sip/transaction/transaction_layer.h"

namespace gh::sip::test {

inline Flow flowOf(Transport t) {
  Flow f;
  f.transport = t;
  f.local = *net::Endpoint::parse("192.0.2.10:5060");
  f.remote = *net::Endpoint::parse("192.0.2.1:5060");
  return f;
}

inline Flow udp() {
  return flowOf(Transport::Udp);
}

inline Flow tcp() {
  return flowOf(Transport::Tcp);
}

inline Message parse(std::string_view text) {
  auto m = parseMessage(text);
  if (!m) {
    ADD_FAILURE() << "test message does not parse: " << m.error().what << " at " << m.error().offset
                  << "\n"
                  << text;
    std::abort();
  }
  return *std::move(m);
}

struct Req {
  std::string method = "INVITE";
  std::string ruri = "sip:bob@example.com";
  std::vector<std::string> vias = {"SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKabc"};
  std::string from = "\"Alice\" <sip:alice@example.org>;tag=ft1";
  std::string to = "<sip:bob@example.com>";
  std::string call_id = "cid-1@192.0.2.1";
  uint32_t cseq = 1;
  std::string cseq_method;        // empty: same as method
  std::vector<std::string> extra; // whole header lines without CRLF
  std::string body;

  std::string text() const {
    std::string t = method + " " + ruri + " SIP/2.0\r\n";
    for (const auto& v : vias) {
      t += "Via: " + v + "\r\n";
    }
    t += "Max-Forwards: 70\r\nFrom: " + from + "\r\nTo: " + to + "\r\nCall-ID: " + call_id +
         "\r\nCSeq: " + std::to_string(cseq) + " " + (cseq_method.empty() ? method : cseq_method) +
         "\r\n";
    for (const auto& e : extra) {
      t += e + "\r\n";
    }
    if (!body.empty()) {
      t += "Content-Type: application/sdp\r\n";
    }
    t += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    return t;
  }
};

struct Resp {
  int code = 200;
  std::string reason = "OK";
  std::vector<std::string> vias = {"SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKclient"};
  std::string from = "\"Alice\" <sip:alice@example.org>;tag=ft1";
  std::string to = "<sip:bob@example.com>;tag=tt1";
  std::string call_id = "cid-1@192.0.2.1";
  uint32_t cseq = 1;
  std::string method = "INVITE";
  std::vector<std::string> extra;
  std::string body;

  std::string text() const {
    std::string t = "SIP/2.0 " + std::to_string(code) + " " + reason + "\r\n";
    for (const auto& v : vias) {
      t += "Via: " + v + "\r\n";
    }
    t += "From: " + from + "\r\nTo: " + to + "\r\nCall-ID: " + call_id +
         "\r\nCSeq: " + std::to_string(cseq) + " " + method + "\r\n";
    for (const auto& e : extra) {
      t += e + "\r\n";
    }
    if (!body.empty()) {
      t += "Content-Type: application/sdp\r\n";
    }
    t += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    return t;
  }
};

class FakeTransport final : public TransactionTransport {
public:
  struct Sent {
    Flow flow;
    std::string bytes;
    TxnId txn;
    Duration at; // since the clock's epoch
  };

  void send(const Flow& flow, std::string_view bytes, TxnId txn) override {
    Duration at{0};
    if (clock != nullptr) {
      at = std::chrono::duration_cast<Duration>(clock->now().time_since_epoch());
    }
    sent.push_back({flow, std::string(bytes), txn, at});
    if (fail && layer != nullptr) {
      layer->onSendFailed(txn);
    }
  }

  // How many sent messages start with `prefix` ("INVITE ", "SIP/2.0 100", "ACK ").
  std::size_t count(std::string_view prefix) const {
    std::size_t n = 0;
    for (const auto& s : sent) {
      n += s.bytes.starts_with(prefix) ? 1U : 0U;
    }
    return n;
  }

  Message last() const { return parse(sent.back().bytes); }

  // When each message starting with `prefix` was sent.
  std::vector<Duration> times(std::string_view prefix) const {
    std::vector<Duration> out;
    for (const auto& s : sent) {
      if (s.bytes.starts_with(prefix)) {
        out.push_back(s.at);
      }
    }
    return out;
  }

  std::vector<Sent> sent;
  bool fail = false;
  TransactionLayer* layer = nullptr;
  const TimerService* clock = nullptr;
};

class RecordingTu final : public TransactionUser {
public:
  enum class Type { Request, Ack, Cancel, Response, Stray, Timeout, TransportError, Terminated };

  struct Event {
    Type type;
    TxnId id = 0;
    uint16_t code = 0;
    std::string method;
  };

  void onRequest(TxnId server, const Message& request, const Flow&) override {
    events.push_back({Type::Request, server, 0, std::string(request.methodText())});
    if (on_request) {
      on_request(server, request);
    }
  }

  void onAck(const Message& ack, const Flow&) override {
    events.push_back({Type::Ack, 0, 0, std::string(ack.methodText())});
  }

  void onCancel(TxnId invite_server, const Message& cancel) override {
    events.push_back({Type::Cancel, invite_server, 0, std::string(cancel.methodText())});
  }

  void onResponse(TxnId client, const Message& response, const Flow&) override {
    events.push_back(
        {Type::Response, client, response.statusCode(), std::string(response.methodText())});
    if (on_response) {
      on_response(client, response);
    }
  }

  void onStrayResponse(const Message& response, const Flow&) override {
    events.push_back({Type::Stray, 0, response.statusCode(), std::string(response.methodText())});
  }

  void onTimeout(TxnId client) override { events.push_back({Type::Timeout, client, 0, {}}); }

  void onTransportError(TxnId client) override {
    events.push_back({Type::TransportError, client, 0, {}});
  }

  void onTerminated(TxnId id, TxnKind) override { events.push_back({Type::Terminated, id, 0, {}}); }

  std::size_t count(Type t) const {
    std::size_t n = 0;
    for (const auto& e : events) {
      n += e.type == t ? 1U : 0U;
    }
    return n;
  }

  std::vector<Event> events;
  std::function<void(TxnId, const Message&)> on_request;
  std::function<void(TxnId, const Message&)> on_response;
};

} // namespace gh::sip::test
