#include "sip/transport/locate.h"

#include <gtest/gtest.h>

namespace gh::sip {
namespace {

TEST(ServiceQuery, MapsEachTransportToItsRfc3263Service) {
  auto udp = serviceQuery("example.com", std::nullopt, Transport::Udp);
  EXPECT_EQ(udp.service, "_sip._udp");
  EXPECT_EQ(udp.default_port, 5060);
  EXPECT_EQ(serviceQuery("example.com", std::nullopt, Transport::Tcp).service, "_sip._tcp");
  auto tls = serviceQuery("example.com", 5071, Transport::Tls);
  EXPECT_EQ(tls.service, "_sips._tcp");
  EXPECT_EQ(tls.default_port, 5061);
  EXPECT_EQ(tls.port, 5071);
  EXPECT_EQ(tls.name, "example.com");
}

} // namespace
} // namespace gh::sip
