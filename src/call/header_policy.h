#pragma once
// Which headers of one leg's message are copied into the message Gatehouse sends on the other
// leg. A B2BUA regenerates everything that names a hop, a dialog or a transaction (RFC 7092 §3);
// the rest is end to end and passes unless the peer's header policy says otherwise.

#include <string_view>

#include "config/config.h"
#include "route/header_list.h"
#include "sip/message/message.h"

namespace gh::call {

// Never copied between legs: Via, Route, Record-Route, Contact, Call-ID, CSeq, From, To,
// Max-Forwards, Content-Length/-Type (follow the body), RSeq/RAck, credentials and challenges,
// User-Agent/Server (ours), Require/Proxy-Require/Supported/Unsupported (negotiated per leg).
bool isLegManaged(sip::HeaderId id);

// Appends the headers of `message` that `policy` lets through, in their order.
void copyEndToEndHeaders(const sip::Message& message, const config::HeaderPolicy& policy,
                         route::HeaderList& out);

// Topology hiding for the identity headers a PBX fills with its own address
// (P-Asserted-Identity, P-Preferred-Identity, Remote-Party-ID): display name, user, URI and
// header parameters stay, the host (and port) become `host`, as in From. Values that do not
// parse, and non-SIP URIs (tel:), are left as they are.
void hideIdentityHosts(route::HeaderList& headers, std::string_view host);

} // namespace gh::call
