//! Who a request comes from. Limits (connections, rate limits, sign-ups) count clients, so a
//! client must be named the same way everywhere: by the socket's peer address, or, when that
//! peer is a proxy the operator trusts (`FORUM_TRUSTED_PROXIES`), by the address the proxy saw,
//! from `X-Forwarded-For`. Anyone can write that header, so it is believed only as far back as
//! the chain of trusted proxies goes.

use ipnet::IpNet;
use std::net::IpAddr;

/// The proxies whose `X-Forwarded-For` is believed: addresses or networks (CIDR).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Reads a list such as `10.0.0.5, 172.30.0.0/24, ::1`: commas or spaces between entries.
    pub fn parse(list: &str) -> Result<Self, String> {
        let entries = list.split(|c: char| c == ',' || c.is_whitespace()).filter(|entry| !entry.is_empty());
        let nets = entries
            .map(|entry| {
                entry
                    .parse::<IpNet>()
                    .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("{entry:?} is neither an IP address nor a network such as 10.0.0.0/8"))
            })
            .collect::<Result<_, _>>()?;
        Ok(TrustedProxies(nets))
    }

    pub fn trusts(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client of a request that arrived from `peer` with these `X-Forwarded-For` header
    /// values (in the order they came). From a trusted peer, the entries are read from the
    /// right (the hop nearest to us) and the first one that is not itself a trusted proxy is
    /// the client; an entry that is not an address ends the walk at the last hop believed.
    pub fn client_of<'a>(&self, peer: IpAddr, forwarded_for: impl DoubleEndedIterator<Item = &'a str>) -> IpAddr {
        let mut client = peer.to_canonical();
        if !self.trusts(client) {
            return client;
        }
        let hops: Vec<&str> = forwarded_for.flat_map(|value| value.split(',')).collect();
        for hop in hops.into_iter().rev() {
            match hop.trim().parse::<IpAddr>() {
                Ok(ip) => {
                    client = ip.to_canonical();
                    if !self.trusts(client) {
                        break;
                    }
                }
                Err(_) => break,
            }
        }
        client
    }
}

/// The unit in which a client is counted: its address, or for IPv6 its /64 (one host usually
/// has a whole /64 to pick addresses from).
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => {
            let mut segments = v6.segments();
            segments[4..].fill(0);
            IpAddr::V6(segments.into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_claims() {
        let proxies = TrustedProxies::parse("10.0.0.5").unwrap();
        assert_eq!(proxies.client_of(ip("203.0.113.9"), ["198.51.100.1"].into_iter()), ip("203.0.113.9"));
    }

    #[test]
    fn behind_trusted_proxies_the_nearest_untrusted_hop_is_the_client() {
        let proxies = TrustedProxies::parse("10.0.0.5, 172.30.0.0/24").unwrap();
        // The client wrote a first entry itself; only the entries our proxies added count.
        let header = ["1.2.3.4, 198.51.100.7", "172.30.0.3"];
        assert_eq!(proxies.client_of(ip("10.0.0.5"), header.into_iter()), ip("198.51.100.7"));
        assert_eq!(proxies.client_of(ip("10.0.0.5"), std::iter::empty()), ip("10.0.0.5"));
        assert_eq!(proxies.client_of(ip("10.0.0.5"), ["junk, 172.30.0.3"].into_iter()), ip("172.30.0.3"));
        assert_eq!(proxies.client_of(ip("::ffff:10.0.0.5"), ["2001:db8::1"].into_iter()), ip("2001:db8::1"));
    }

    #[test]
    fn a_wrong_entry_is_named_in_the_error() {
        assert_eq!(TrustedProxies::parse("").unwrap(), TrustedProxies::default());
        assert!(TrustedProxies::parse("10.0.0.0/8 proxy.local").unwrap_err().contains("\"proxy.local\""));
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_slash_64() {
        assert_eq!(client_key(ip("2001:db8:1:2:aaaa::1")), client_key(ip("2001:db8:1:2:bbbb::9")));
        assert_ne!(client_key(ip("2001:db8:1:2::1")), client_key(ip("2001:db8:1:3::1")));
        assert_eq!(client_key(ip("::ffff:192.0.2.1")), ip("192.0.2.1"));
    }
}
