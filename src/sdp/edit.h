#pragma once
// Builds new SDP text from a parsed description plus changes, for the media relay's rewrite of
// offers and answers. Lines nobody touched are written verbatim (same bytes, same line end); new
// lines take the description's own line end. An SdpEdit borrows the SessionDescription it was
// made from and must not outlive it.
//
//   SdpEdit edit(*sdp);
//   edit.rewriteConnections("IP4", "25.25.25.5");         // session c=, and media c= where present
//   edit.removeIce();                                       // RFC 8839 attributes, every level
//   edit.removeRtcpMux();
//   MediaEdit& audio = edit.media(0);
//   audio.setPort(31182);
//   audio.setProto("RTP/SAVP");
//   audio.setDirection(Direction::SendRecv);
//   audio.setAttribute(attr::kRtcp, "31183");               // RFC 3605
//   audio.removeCrypto();
//   audio.addCrypto({.tag = 1, .suite = kAesCm128HmacSha1_80, .key_salt = key_salt});
//   std::string body = edit.toString();
//
// Values passed in must not hold CR, LF or NUL (GH_BUG; blanked in release builds). Attribute
// names match case-insensitively. Views returned by the query methods are valid until
// the next change to the same section. Thread: a value type; use it on one thread at a time.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sdp/attributes.h"
#include "sdp/crypto.h"
#include "sdp/lifetimebound.h"
#include "sdp/session_description.h"

namespace gh::sdp {

// The session-level lines or one media section.
class SectionEdit {
public:
  bool hasAttribute(std::string_view name) const;
  std::size_t attributeCount(std::string_view name) const;
  // The value of the first attribute named `name` ("" for a flag); nullopt when absent.
  std::optional<std::string_view> attributeValue(std::string_view name) const;
  // Every attribute of the section, in order.
  std::vector<AttributeView> attributes() const;

  // Each returns how many lines it removed or changed.
  std::size_t removeAttributes(std::string_view name);
  std::size_t removeAttributesIf(const std::function<bool(const AttributeView&)>& pred);
  std::size_t replaceAttributeValues(std::string_view name, std::string_view value);

  // Appended after the last line of the section.
  void addAttribute(std::string_view name);                         // a=<name>
  void addAttribute(std::string_view name, std::string_view value); // a=<name>:<value>
  // Leaves exactly one a=<name>:<value>: in place of the first such attribute, else appended.
  void setAttribute(std::string_view name, std::string_view value);

  // Leaves exactly one direction attribute: in place of the first one, else appended.
  void setDirection(Direction direction);
  std::optional<Direction> direction() const;

  // Leaves exactly one c=IN <addrtype> <address>: in place of the first c= line, else where
  // RFC 8866 section 5 puts it (after v/o/s/i/u/e/p at session level, after m/i in a media).
  void setConnection(std::string_view addrtype, std::string_view address);
  bool hasConnection() const;

  // Removes every line of `type` (b=, i=, k=, ...). The v=, o= and m= lines are never removed.
  std::size_t removeLines(char type);

  std::size_t removeIce();     // kIceAttributeNames
  std::size_t removeRtcpMux(); // a=rtcp-mux
  std::size_t removeDtls();    // a=fingerprint, a=setup, a=tls-id
  std::size_t removeCrypto();  // a=crypto
  void addCrypto(const CryptoSpec& spec);

protected:
  struct EditLine {
    char type = 0;
    LineEnd end = LineEnd::Crlf;
    bool changed = false;
    std::string_view original; // the parsed value, while unchanged
    std::string text;          // the new value, once changed

    std::string_view value() const { return changed ? std::string_view(text) : original; }
  };

  SectionEdit(std::span<const Line> lines, LineEnd new_line_end, std::string_view before_c);
  static void setLine(EditLine& line, std::string text);
  EditLine makeLine(char type, std::string text) const;
  // Sets the first line that matches to `text` and removes the other matches. False when none
  // matched.
  bool keepFirst(const std::function<bool(const EditLine&)>& match, std::string text);

  std::vector<EditLine> lines_;
  LineEnd new_line_end_;
  std::string_view before_c_; // line types that precede c= in this section

  friend class SdpEdit;
};

class MediaEdit : public SectionEdit {
public:
  std::string_view media() const { return media_; }

  uint16_t port() const { return port_; }

  std::optional<uint16_t> portCount() const { return port_count_; }

  std::string_view proto() const { return proto_; }

  void setPort(uint16_t port); // also drops any "/<number of ports>"
  void setPort(uint16_t port, uint16_t port_count);
  void setProto(std::string_view proto); // "RTP/AVP" <-> "RTP/SAVP"

  // Port 0 (RFC 3264 section 6); the section and its formats stay.
  void reject() { setPort(0); }

private:
  friend class SdpEdit;
  MediaEdit(const MediaSection& section, std::span<const Line> lines, LineEnd new_line_end);
  void rewriteMediaLine();

  std::string_view media_;
  uint16_t port_ = 0;
  std::optional<uint16_t> port_count_;
  std::string proto_;
  std::string_view formats_text_;
};

class SdpEdit {
public:
  explicit SdpEdit(const SessionDescription& sdp GH_LIFETIMEBOUND);

  // o=<username> <sess-id> <sess-version> <nettype> <addrtype> <address>
  void setOriginAddress(std::string_view addrtype, std::string_view address);
  void setOriginVersion(uint64_t version);

  SectionEdit& session() { return session_; }

  const SectionEdit& session() const { return session_; }

  std::size_t mediaCount() const { return media_.size(); }

  MediaEdit& media(std::size_t index);
  const MediaEdit& media(std::size_t index) const;

  // The relay's address everywhere: the session c= (added when a media section would otherwise
  // be left without one) and every media-level c= that exists.
  void rewriteConnections(std::string_view addrtype, std::string_view address);
  // The strip helpers of SectionEdit, applied at session level and in every media section.
  std::size_t removeIce();
  std::size_t removeRtcpMux();
  std::size_t removeDtls();

  std::string toString() const;

private:
  void rewriteOrigin();

  OriginView origin_;
  std::optional<std::string> origin_addrtype_;
  std::optional<std::string> origin_address_;
  std::optional<std::string> origin_version_;
  SectionEdit session_;
  std::vector<MediaEdit> media_;
  std::string_view trailer_;
  LineEnd new_line_end_;
};

} // namespace gh::sdp
