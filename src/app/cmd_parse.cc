#include "app/cmd_parse.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>

#include <fmt/format.h>

#include "sip/message/describe.h"
#include "sip/parser/parser.h"
#include "sip/parser/status.h"

namespace gh::app {
namespace {

// Line and column (1-based) of a byte offset, for an error a person can find in a trace.
std::pair<std::size_t, std::size_t> lineColumn(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, offset - line_start + 1};
}

void printError(std::string_view text, const Error& error) {
  auto [line, column] = lineColumn(text, error.offset);
  auto status = sip::statusFor(error.code);
  fmt::print(stderr, "invalid SIP message: {} ({}) at byte {}, line {} column {}\n", error.what,
             errcName(error.code), error.offset, line, column);
  std::size_t begin = text.rfind('\n', error.offset == 0 ? 0 : error.offset - 1);
  begin = (begin == std::string_view::npos || error.offset == 0) ? 0 : begin + 1;
  std::size_t end = text.find('\n', begin);
  std::string_view context = text.substr(begin, end == std::string_view::npos ? end : end - begin);
  if (!context.empty() && context.back() == '\r') {
    context.remove_suffix(1);
  }
  if (context.size() <= 200) {
    fmt::print(stderr, "  {}\n  {:>{}}\n", sip::printable(context), "^", column);
  }
  fmt::print(stderr, "a SIP server answers a request like this with {} {}\n", status.code,
             status.reason);
}

} // namespace

int runParse(const ParseOptions& options) {
  std::string bytes;
  if (options.input == "-") {
    bytes.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(options.input, std::ios::binary);
    if (!in) {
      fmt::print(stderr, "gatehouse parse: cannot read '{}'\n", options.input);
      return 2;
    }
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  sip::ParseLimits limits;
  auto message = sip::parseMessage(bytes, limits,
                                   options.stream ? sip::Framing::Stream : sip::Framing::Datagram);
  if (!message) {
    printError(bytes, message.error());
    return 1;
  }
  if (!options.quiet) {
    std::fputs(sip::describe(*message).c_str(), stdout);
  }
  return 0;
}

} // namespace gh::app
