#pragma once
// The simulated Cisco CUCM of `gatehouse demo`: it dials the voicemail pilot over TCP with the
// seed's INVITE (Cisco headers, RTP/AVP PCMU + telephone-event), sends and checks plain RTP,
// then hangs up with BYE once the Microsoft side has heard its audio.

#include <chrono>
#include <future>
#include <string>

#include "app/demo/ladder.h"
#include "app/demo/media_leg.h"

namespace gh::app::demo {

struct PbxPeerSettings {
  std::string ip;           // CUCM's address (signaling and media)
  std::string gatehouse_ip; // Gatehouse's internal interface
  uint16_t gatehouse_port = 5060;
  std::string request_uri; // sip:87000@sbc-o365.example.com
  int packets = 100;
  bool offer_ice = false;      // add ICE attributes to the offer, as a WebRTC-capable PBX would
  bool offer_rtcp_mux = false; // add a=rtcp-mux to the offer
  std::chrono::milliseconds timeout{15000};
};

struct PbxPeerResult {
  int final_code = 0; // the INVITE's final response as CUCM saw it
  bool bye_answered = false;
  MediaFigures media; // received from Gatehouse (plain RTP)
  std::string error;
};

// Places one call. `microsoft_media_done` tells it when the far side's audio run is over, so the
// BYE does not cut it short.
PbxPeerResult placeCall(const PbxPeerSettings& settings, Ladder& ladder,
                        std::future<void> microsoft_media_done);

} // namespace gh::app::demo
