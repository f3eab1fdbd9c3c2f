// [media] engine, engine_interfaces and engine_timeout_ms: parsed values, errors with file:line,
// and anchoring without media_ports when a remote engine owns the ports.

#include "config/media_engine.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "unit/config/printers.h"

namespace gh::config {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> diagnosticsOf(std::string_view text, Severity severity) {
  auto loaded = loadString(text, "t.toml", "/etc/gatehouse");
  std::vector<std::string> out;
  const auto& list = loaded ? loaded->warnings : loaded.error();
  for (const Diagnostic& d : list) {
    if (d.severity == severity)
      out.push_back(formatDiagnostic(d));
  }
  return out;
}

// Two interfaces without media_ports and an anchoring route; lines 1-20, [media] appended.
constexpr std::string_view kSignalingOnly = R"([[interface]]
name = "internal"
address = "127.0.16.5"
sip = ["udp:5060"]
[[interface]]
name = "external"
address = "127.0.17.5"
sip = ["udp:5060"]
[[peer]]
name = "pbx"
interface = "internal"
address = "127.0.16.2:5062"
[[peer]]
name = "far"
interface = "external"
address = "127.0.17.2:5064"
[[route]]
name = "to-far"
match = { from_peer = "pbx" }
to_peer = "far"
)";

TEST(MediaEngineTest, ParsesTheNgScheme) {
  auto v4 = parseMediaEngine("ng:127.0.0.1:2223");
  ASSERT_TRUE(v4);
  EXPECT_EQ(formatSocketAddress(*v4), "127.0.0.1:2223");
  auto v6 = parseMediaEngine("ng:[::1]:2223");
  ASSERT_TRUE(v6);
  EXPECT_EQ(formatSocketAddress(*v6), "[::1]:2223");
  EXPECT_FALSE(parseMediaEngine("127.0.0.1:2223"));
  EXPECT_FALSE(parseMediaEngine("ng:127.0.0.1"));
  EXPECT_FALSE(parseMediaEngine("ng:0.0.0.0:2223"));
  EXPECT_FALSE(parseMediaEngine("ng:engine.example.com:2223"));
}

TEST(MediaEngineTest, AnchoringNeedsNoMediaPortsWithAnEngine) {
  std::string text(kSignalingOnly);
  text += R"([media]
engine = "ng:127.0.0.1:2223"
engine_interfaces = { internal = "priv", external = "pub" }
engine_timeout_ms = 1500
)";
  auto loaded = loadString(text, "t.toml", "/etc/gatehouse");
  ASSERT_TRUE(loaded) << formatDiagnostics(loaded.error());
  ASSERT_TRUE(loaded->media.engine);
  EXPECT_EQ(formatSocketAddress(*loaded->media.engine), "127.0.0.1:2223");
  EXPECT_EQ(loaded->media.engine_timeout, std::chrono::milliseconds(1500));
  ASSERT_EQ(loaded->media.engine_interfaces.size(), 2u);
  using Pair = std::pair<std::string, std::string>;
  EXPECT_THAT(loaded->media.engine_interfaces,
              ::testing::UnorderedElementsAre(Pair{"internal", "priv"}, Pair{"external", "pub"}));
  EXPECT_THAT(diagnosticsOf(text, Severity::Warning), IsEmpty());
}

TEST(MediaEngineTest, WithoutAnEngineMediaPortsAreStillRequired) {
  auto loaded = loadString(kSignalingOnly, "t.toml", "/etc/gatehouse");
  EXPECT_FALSE(loaded);
}

TEST(MediaEngineTest, Errors) {
  std::string text(kSignalingOnly);
  text += R"([media]
engine = "127.0.0.1:2223"
engine_interfaces = { internal = "priv", extrenal = "pub", dmz = 5 }
engine_timeout_ms = 50
)";
  EXPECT_THAT(
      diagnosticsOf(text, Severity::Error),
      ElementsAre("t.toml:17:1: route 'to-far' anchors media but interface 'internal' has no "
                  "media_ports; add media_ports = \"20000-39999\" to the interface, or set "
                  "[route.media] anchor = false to leave SDP untouched",
                  "t.toml:17:1: route 'to-far' anchors media but interface 'external' has no "
                  "media_ports; add media_ports = \"20000-39999\" to the interface, or set "
                  "[route.media] anchor = false to leave SDP untouched",
                  "t.toml:22:10: engine \"127.0.0.1:2223\" has no known scheme; write engine = "
                  "\"ng:127.0.0.1:2223\" (rtpengine NG over UDP)",
                  "t.toml:23:42: engine_interfaces names interface 'extrenal' which is not "
                  "defined; did you mean 'external'? defined: internal, external",
                  "t.toml:23:66: engine_interfaces.dmz must be the engine's interface name (a "
                  "non-empty string); e.g. engine_interfaces = { internal = \"priv\", external "
                  "= \"pub\" }",
                  "t.toml:24:21: 'engine_timeout_ms' = 50 is out of range 200-30000"));
}

TEST(MediaEngineTest, NoPortGivesTheExample) {
  std::string text(kSignalingOnly);
  text += "[media]\nengine = \"ng:127.0.0.1\"\n";
  auto errors = diagnosticsOf(text, Severity::Error);
  EXPECT_THAT(errors, ::testing::Contains("t.toml:22:10: engine: '127.0.0.1' has no port; "
                                          "write it as 127.0.0.1:2223"));
}

} // namespace
} // namespace gh::config
