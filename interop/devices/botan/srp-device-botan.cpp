/* srp-device-botan - a TLS-SRP HTTPS device on Botan 2.19's TLS::Server.
 *
 *   srp-device-botan --users FILE [--rsa-cert C --rsa-key K] [--dsa-cert C --dsa-key K]
 *                    [--fake-users] [--no-srp] [--versions 1.0,1.1,1.2] [--port N]
 *
 * FILE: lines "name:password:bits" (one RFC 5054 group per user).  At start-up
 * each user gets a random 16-byte salt (first byte non-zero) and the verifier from Botan's own
 * generate_srp6_verifier(name, password, salt, "modp/srp/BITS", "SHA-1");
 * the passwords are wiped afterwards.  The `botan tls_server` CLI cannot do
 * SRP, hence this program: a TLS::Policy that allows SRP_SHA key exchange
 * (anonymous, RSA, DSA), 3DES/AES-128/AES-256 with SHA-1, TLS 1.0-1.2, and a
 * Credentials_Manager whose srp_verifier() returns the verifiers above.
 *
 * Listens on 127.0.0.1 (port 0 = kernel picks), prints "LISTENING <port>".
 * One forked child per connection, all I/O bounded by poll() timeouts and an
 * alarm() for the whole connection (../common.h, shared with the C devices).
 * "/" serves a small page; "/status" JSON.
 *
 * Premaster evidence (Botan 2.19 peer defect, see interop/devices/botan/README.md):
 * Botan encodes the SRP premaster S with the length of N (leading zero bytes
 * kept) while OpenSSL, GnuTLS, Erlang and our clients strip them, so a
 * handshake whose S has a leading zero byte ends with bad_record_mac.  For
 * every handshake the child writes ONE line to stderr:
 *
 *   HS client_random=<hex> user=<u> version=<v> suite=<iana> n_bytes=<|N|>
 *      pms_len=<len> pms0=<first byte hex> stripped_len=<len without leading 0s>
 *      ems=<0|1> master_botan=<hex 8> master_stripped=<hex 8> result=<ok|...>
 *
 * master_botan / master_stripped are the first 8 bytes of the master secret
 * derived from Botan's premaster and from the zero-stripped premaster (with the
 * extended master secret session hash when EMS is negotiated: the child keeps
 * the handshake transcript from the bytes it relays).  A reference client's
 * SSLKEYLOGFILE line for the same client_random shows which one the client
 * used.  Only the first 8 bytes are logged (a lab, but still no full secrets).
 */
#include "../common.h"

#include <botan/auto_rng.h>
#include <botan/bigint.h>
#include <botan/credentials_manager.h>
#include <botan/data_src.h>
#include <botan/hash.h>
#include <botan/hex.h>
#include <botan/kdf.h>
#include <botan/pkcs8.h>
#include <botan/srp6.h>
#include <botan/tls_callbacks.h>
#include <botan/tls_exceptn.h>
#include <botan/tls_messages.h>
#include <botan/tls_policy.h>
#include <botan/tls_server.h>
#include <botan/tls_session_manager.h>
#include <botan/x509cert.h>
#include <botan/version.h>

#include <getopt.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

using namespace Botan;

namespace {

struct UserEntry {
    std::string group;
    BigInt verifier;
    std::vector<uint8_t> salt;
};

struct Config {
    std::map<std::string, UserEntry> users;
    bool fake_users = false;
    bool no_srp = false;
    bool v10 = true, v11 = true, v12 = true;
    std::string rsa_cert, rsa_key, dsa_cert, dsa_key;
    int port = 0;
} C;

void logline(const std::string &s)
{
    std::string l = "[botan-device " + std::to_string(getpid()) + "] " + s + "\n";
    ssize_t r = write(2, l.data(), l.size()); /* one write: lines do not interleave */
    (void)r;
}

class Lab_Policy final : public TLS::Policy {
  public:
    std::vector<std::string> allowed_ciphers() const override
    {
        return {"AES-256", "AES-128", "3DES"};
    }
    std::vector<std::string> allowed_macs() const override { return {"SHA-1"}; }
    std::vector<std::string> allowed_key_exchange_methods() const override
    {
        if (C.no_srp)
            return {"ECDH", "DH", "RSA"};
        return {"SRP_SHA"};
    }
    std::vector<std::string> allowed_signature_methods() const override
    {
        return {"RSA", "DSA", "IMPLICIT"};
    }
    std::vector<std::string> allowed_signature_hashes() const override
    {
        return {"SHA-512", "SHA-384", "SHA-256", "SHA-1"};
    }
    bool allow_tls10() const override { return C.v10; }
    bool allow_tls11() const override { return C.v11; }
    bool allow_tls12() const override { return C.v12; }
    bool allow_dtls10() const override { return false; }
    bool allow_dtls12() const override { return false; }
    bool hide_unknown_users() const override { return C.fake_users; }
    size_t minimum_signature_strength() const override { return 80; }
    bool server_uses_own_ciphersuite_preferences() const override { return false; }
};

class Lab_Creds final : public Credentials_Manager {
  public:
    explicit Lab_Creds(RandomNumberGenerator &rng) : m_rng(rng)
    {
        load(C.rsa_cert, C.rsa_key);
        load(C.dsa_cert, C.dsa_key);
    }

    std::vector<X509_Certificate> cert_chain(const std::vector<std::string> &algos,
                                             const std::string &, const std::string &) override
    {
        for (auto &ck : m_certs)
            for (auto &a : algos)
                if (ck.first.load_subject_public_key()->algo_name() == a)
                    return {ck.first};
        return {};
    }

    Private_Key *private_key_for(const X509_Certificate &cert, const std::string &,
                                 const std::string &) override
    {
        for (auto &ck : m_certs)
            if (ck.first == cert)
                return ck.second.get();
        return nullptr;
    }

    /* The server only offers SRP suites when this says yes (default: no). */
    bool attempt_srp(const std::string &, const std::string &) override { return !C.no_srp; }

    bool srp_verifier(const std::string &, const std::string &, const std::string &identifier,
                      std::string &group_name, BigInt &verifier, std::vector<uint8_t> &salt,
                      bool generate_fake_on_unknown) override
    {
        auto it = C.users.find(identifier);
        if (it != C.users.end()) {
            group_name = it->second.group;
            verifier = it->second.verifier;
            salt = it->second.salt;
            return true;
        }
        logline("srp_verifier: unknown user '" + identifier + "'" +
                (generate_fake_on_unknown ? " (fake entry)" : ""));
        if (!generate_fake_on_unknown)
            return false;
        /* RFC 5054 2.5.1.3: a salt that is stable per user name, a verifier nobody knows. */
        std::unique_ptr<HashFunction> h(HashFunction::create_or_throw("SHA-256"));
        h->update(m_fake_seed);
        h->update(identifier);
        auto d = h->final();
        salt.assign(d.begin(), d.begin() + 16);
        group_name = "modp/srp/2048";
        verifier = BigInt::random_integer(m_rng, 2, BigInt::power_of_2(2047));
        return true;
    }

    std::vector<uint8_t> m_fake_seed;

  private:
    void load(const std::string &cert, const std::string &key)
    {
        if (cert.empty())
            return;
        X509_Certificate c(cert);
        DataSource_Stream in(key);
        std::unique_ptr<Private_Key> k(PKCS8::load_key(in));
        m_certs.emplace_back(c, std::move(k));
    }
    RandomNumberGenerator &m_rng;
    std::vector<std::pair<X509_Certificate, std::unique_ptr<Private_Key>>> m_certs;
};

std::string hex8(const secure_vector<uint8_t> &v)
{
    return hex_encode(v.data(), std::min<size_t>(8, v.size()), false);
}

/* Minimal TLS record parser over the bytes we relay: collects the handshake
 * transcript (for the EMS session hash) until the first ChangeCipherSpec of
 * each direction. */
struct TranscriptTap {
    std::vector<uint8_t> buf[2];
    bool ccs[2] = {false, false};
    std::vector<uint8_t> transcript;

    void feed(int dir, const uint8_t *p, size_t n)
    {
        if (ccs[dir])
            return;
        buf[dir].insert(buf[dir].end(), p, p + n);
        for (;;) {
            auto &b = buf[dir];
            if (b.size() < 5)
                return;
            size_t len = (size_t(b[3]) << 8) | b[4];
            if (b.size() < 5 + len)
                return;
            if (b[0] == 20) {
                ccs[dir] = true;
                return;
            }
            if (b[0] == 22)
                transcript.insert(transcript.end(), b.begin() + 5, b.begin() + 5 + len);
            b.erase(b.begin(), b.begin() + 5 + len);
        }
    }
};

class Conn final : public TLS::Callbacks {
  public:
    Conn(int fd) : m_fd(fd) {}

    void tls_emit_data(const uint8_t data[], size_t size) override
    {
        m_tap.feed(1, data, size);
        size_t off = 0;
        while (off < size) {
            struct pollfd p = {m_fd, POLLOUT, 0};
            if (poll(&p, 1, IO_TIMEOUT_MS) <= 0)
                throw std::runtime_error("write timeout");
            ssize_t w = send(m_fd, data + off, size - off, MSG_NOSIGNAL);
            if (w < 0) {
                if (errno == EINTR || errno == EAGAIN)
                    continue;
                throw std::runtime_error(std::string("send: ") + strerror(errno));
            }
            off += size_t(w);
        }
    }

    void tls_record_received(uint64_t, const uint8_t data[], size_t size) override
    {
        m_request.append(reinterpret_cast<const char *>(data), size);
        if (m_request.size() > 8192 || m_request.find("\r\n\r\n") != std::string::npos ||
            m_request.find("\n\n") != std::string::npos)
            m_request_done = true;
        /* Answer right here: a client that sends its request and close_notify
         * in one flight (gnutls-cli at EOF of stdin) would otherwise find the
         * channel closed before we reply. */
        if (m_request_done && !m_sent && m_server) {
            m_sent = true;
            m_server->send(respond());
            m_server->close();
        }
    }

    void tls_alert(TLS::Alert alert) override
    {
        if (alert.type() != TLS::Alert::CLOSE_NOTIFY && m_result.empty())
            m_result = "received-alert:" + std::to_string(int(alert.type()));
        if (alert.type() == TLS::Alert::CLOSE_NOTIFY)
            m_peer_closed = true;
    }

    bool tls_session_established(const TLS::Session &session) override
    {
        m_master_session = hex8(session.master_secret());
        m_user = session.srp_identifier();
        return false; /* do not cache */
    }

    void tls_session_activated() override { m_established = true; }

    void tls_inspect_handshake_msg(const TLS::Handshake_Message &msg) override
    {
        switch (msg.type()) {
        case TLS::CLIENT_HELLO: {
            auto &ch = dynamic_cast<const TLS::Client_Hello &>(msg);
            m_client_random = ch.random();
            m_user = ch.srp_identifier();
            break;
        }
        case TLS::SERVER_HELLO: {
            auto &sh = dynamic_cast<const TLS::Server_Hello &>(msg);
            m_server_random = sh.random();
            m_version = sh.version();
            m_suite = sh.ciphersuite();
            m_ems = sh.supports_extended_master_secret();
            break;
        }
        case TLS::SERVER_KEX: {
            if (C.no_srp)
                break;
            auto &ske = dynamic_cast<const TLS::Server_Key_Exchange &>(msg);
            auto suite = TLS::Ciphersuite::by_id(m_suite);
            if (suite.valid() && suite.kex_method() == TLS::Kex_Algo::SRP_SHA) {
                /* the group: SKE params start with N (2-byte length) */
                const auto &p = ske.params();
                if (p.size() >= 2)
                    m_n_bytes = (size_t(p[0]) << 8) | p[1];
            }
            break;
        }
        case TLS::CLIENT_KEX: {
            auto suite = TLS::Ciphersuite::by_id(m_suite);
            if (!suite.valid() || suite.kex_method() != TLS::Kex_Algo::SRP_SHA)
                break;
            auto &cke = dynamic_cast<const TLS::Client_Key_Exchange &>(msg);
            m_pms = cke.pre_master_secret();
            m_have_pms = true;
            /* The transcript up to and including this ClientKeyExchange
             * (the tap has seen its record already). */
            m_session_transcript = m_tap.transcript;
            break;
        }
        default:
            break;
        }
    }

    /* master secret for a given premaster, as RFC 5246 8.1 / RFC 7627 4 */
    secure_vector<uint8_t> master_for(const secure_vector<uint8_t> &pms) const
    {
        bool tls12 = m_version == TLS::Protocol_Version::TLS_V12;
        std::unique_ptr<KDF> prf(KDF::create_or_throw(tls12 ? "TLS-12-PRF(SHA-256)" : "TLS-PRF"));
        std::vector<uint8_t> seed;
        std::string label;
        if (m_ems) {
            label = "extended master secret";
            if (tls12) {
                auto h = HashFunction::create_or_throw("SHA-256");
                h->update(m_session_transcript);
                auto d = h->final();
                seed.assign(d.begin(), d.end());
            } else {
                auto h1 = HashFunction::create_or_throw("MD5");
                auto h2 = HashFunction::create_or_throw("SHA-1");
                h1->update(m_session_transcript);
                h2->update(m_session_transcript);
                auto d1 = h1->final(), d2 = h2->final();
                seed.assign(d1.begin(), d1.end());
                seed.insert(seed.end(), d2.begin(), d2.end());
            }
        } else {
            label = "master secret";
            seed = m_client_random;
            seed.insert(seed.end(), m_server_random.begin(), m_server_random.end());
        }
        return prf->derive_key(48, pms.data(), pms.size(), seed.data(), seed.size(),
                               reinterpret_cast<const uint8_t *>(label.data()), label.size());
    }

    std::string summary()
    {
        std::ostringstream o;
        o << "HS client_random=" << (m_client_random.empty() ? "-" : hex_encode(m_client_random, false))
          << " user=" << (m_user.empty() ? "-" : m_user);
        if (m_suite) {
            auto s = TLS::Ciphersuite::by_id(m_suite);
            o << " version=" << m_version.to_string() << " suite=" << (s.valid() ? s.to_string() : "?");
        }
        if (m_have_pms) {
            size_t z = 0;
            while (z < m_pms.size() && m_pms[z] == 0)
                z++;
            secure_vector<uint8_t> stripped(m_pms.begin() + z, m_pms.end());
            o << " n_bytes=" << m_n_bytes << " pms_len=" << m_pms.size() << " pms0="
              << hex_encode(m_pms.data(), m_pms.empty() ? 0 : 1, false)
              << " stripped_len=" << stripped.size() << " ems=" << (m_ems ? 1 : 0);
            try {
                o << " master_botan=" << hex8(master_for(m_pms))
                  << " master_stripped=" << hex8(master_for(stripped));
            } catch (std::exception &e) {
                o << " master=error(" << e.what() << ")";
            }
            if (!m_master_session.empty())
                o << " master_session=" << m_master_session;
        }
        o << " result=" << (m_result.empty() ? (m_established ? "ok" : "incomplete") : m_result);
        return o.str();
    }

    void serve(TLS::Server &server)
    {
        uint8_t buf[16384];
        m_server = &server;
        while (!server.is_closed()) {
            int r = wait_readable(m_fd, IO_TIMEOUT_MS);
            if (r == 0) {
                if (m_result.empty())
                    m_result = "timeout";
                break;
            }
            if (r < 0)
                break;
            ssize_t n = recv(m_fd, buf, sizeof buf, 0);
            if (n <= 0) {
                if (m_result.empty() && !m_established)
                    m_result = "peer-closed";
                break;
            }
            m_tap.feed(0, buf, size_t(n));
            try {
                server.received_data(buf, size_t(n));
            } catch (TLS::TLS_Exception &e) {
                if (m_result.empty())
                    m_result = "sent-alert:" + std::to_string(int(e.type()));
                m_error = e.what();
                break;
            } catch (std::exception &e) {
                if (m_result.empty())
                    m_result = "error";
                m_error = e.what();
                break;
            }

        }
    }

    std::string respond()
    {
        std::string path = "/";
        if (m_request.compare(0, 4, "GET ") == 0) {
            auto e = m_request.find(' ', 4);
            if (e != std::string::npos)
                path = m_request.substr(4, e - 4);
        }
        auto s = TLS::Ciphersuite::by_id(m_suite);
        std::string body, ctype = "text/html; charset=utf-8";
        if (path == "/status" || path == "/status.json") {
            /* the lab's admin-device schema: IANA suite, "1.2", group bits */
            std::string v = m_version.to_string(); /* "TLS v1.2" */
            auto sp = v.rfind('v');
            ctype = "application/json";
            body = "{\"device\":\"botan\",\"library\":\"Botan " + std::string(Botan::short_version_cstr()) +
                   "\",\"srp_user\":\"" + (m_user.empty() ? "" : m_user) + "\",\"suite\":\"" +
                   (s.valid() ? "TLS_" + s.to_string() : "?") + "\",\"tls_version\":\"" +
                   (sp == std::string::npos ? v : v.substr(sp + 1)) +
                   "\",\"group_bits\":" + std::to_string(m_n_bytes * 8) + "}\n";
        } else {
            body = "<!doctype html><html><head><title>Botan TLS-SRP device</title></head><body>"
                   "<h1>Botan 2 TLS-SRP device</h1><p>srp-lab-ok</p></body></html>\n";
        }
        /* user names come from our users file, but keep the JSON safe anyway */
        for (auto &ch : body)
            if ((unsigned char)ch < 0x20 && ch != '\n')
                ch = '?';
        return "HTTP/1.1 200 OK\r\nContent-Type: " + ctype + "\r\nContent-Length: " +
               std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
    }

    std::string m_error;

  private:
    int m_fd;
    TranscriptTap m_tap;
    std::string m_request, m_result, m_user, m_master_session;
    bool m_request_done = false, m_established = false, m_peer_closed = false, m_ems = false;
    bool m_have_pms = false, m_sent = false;
    TLS::Server *m_server = nullptr;
    std::vector<uint8_t> m_client_random, m_server_random, m_session_transcript;
    TLS::Protocol_Version m_version;
    uint16_t m_suite = 0;
    size_t m_n_bytes = 0;
    secure_vector<uint8_t> m_pms;
};

void serve_one(int fd, void *arg)
{
    Lab_Creds &creds = *static_cast<Lab_Creds *>(arg);
    AutoSeeded_RNG rng; /* fresh in the child: no state shared across fork */
    TLS::Session_Manager_Noop sessions;
    Lab_Policy policy;
    Conn conn(fd);
    try {
        TLS::Server server(conn, sessions, creds, policy, rng);
        conn.serve(server);
    } catch (std::exception &e) {
        conn.m_error = e.what();
    }
    std::string s = conn.summary();
    if (!conn.m_error.empty()) {
        std::string e = conn.m_error;
        for (auto &ch : e)
            if (ch == '\n' || ch == ' ')
                ch = '_';
        s += " error=" + e.substr(0, 200);
    }
    logline(s);
    shutdown(fd, SHUT_RDWR);
    close(fd);
}

bool load_users(const std::string &file, RandomNumberGenerator &rng)
{
    std::ifstream in(file);
    if (!in) {
        fprintf(stderr, "srp-device-botan: cannot read %s\n", file.c_str());
        return false;
    }
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.empty() || line[0] == '#')
            continue;
        auto a = line.find(':'), b = line.rfind(':');
        if (a == std::string::npos || a == b) {
            fprintf(stderr, "srp-device-botan: bad users line (want name:password:bits)\n");
            return false;
        }
        std::string name = line.substr(0, a), pass = line.substr(a + 1, b - a - 1),
                    bits = line.substr(b + 1);
        UserEntry u;
        u.group = "modp/srp/" + bits;
        /* First byte non-zero: OpenSSL clients hash the salt through a BIGNUM
         * (SRP_Calc_x drops leading zero bytes), so such a salt would fail every
         * login of this user with them until the device restarts. */
        do
            u.salt = unlock(rng.random_vec(16));
        while (u.salt[0] == 0);
        u.verifier = generate_srp6_verifier(name, pass, u.salt, u.group, "SHA-1");
        C.users[name] = u;
        std::fill(pass.begin(), pass.end(), 0);
        std::fill(line.begin(), line.end(), 0);
    }
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"users", 1, 0, 'u'},    {"rsa-cert", 1, 0, 'a'}, {"rsa-key", 1, 0, 'b'},
        {"dsa-cert", 1, 0, 'c'}, {"dsa-key", 1, 0, 'd'},  {"fake-users", 0, 0, 'f'},
        {"no-srp", 0, 0, 'n'},   {"versions", 1, 0, 'v'}, {"port", 1, 0, 'p'},
        {0, 0, 0, 0}};
    std::string users;
    int o;
    while ((o = getopt_long(argc, argv, "", opts, nullptr)) != -1) {
        switch (o) {
        case 'u': users = optarg; break;
        case 'a': C.rsa_cert = optarg; break;
        case 'b': C.rsa_key = optarg; break;
        case 'c': C.dsa_cert = optarg; break;
        case 'd': C.dsa_key = optarg; break;
        case 'f': C.fake_users = true; break;
        case 'n': C.no_srp = true; break;
        case 'v': {
            std::string v = optarg;
            C.v10 = v.find("1.0") != std::string::npos;
            C.v11 = v.find("1.1") != std::string::npos;
            C.v12 = v.find("1.2") != std::string::npos;
            break;
        }
        case 'p': C.port = atoi(optarg); break;
        default:
            fprintf(stderr, "usage: %s --users FILE [--rsa-cert C --rsa-key K] [--dsa-cert C --dsa-key K] "
                            "[--fake-users] [--no-srp] [--versions 1.0,1.1,1.2] [--port N]\n", argv[0]);
            return 2;
        }
    }
    if (!C.no_srp && users.empty()) {
        fprintf(stderr, "srp-device-botan: --users is required unless --no-srp\n");
        return 2;
    }
    std::unique_ptr<Lab_Creds> creds;
    try {
        AutoSeeded_RNG rng;
        if (!C.no_srp && !load_users(users, rng))
            return 2;
        creds.reset(new Lab_Creds(rng));
        creds->m_fake_seed = unlock(rng.random_vec(32));
    } catch (std::exception &e) {
        fprintf(stderr, "srp-device-botan: setup failed: %s\n", e.what());
        return 2;
    }

    g_name = "botan-device";
    int lfd = listen_loopback(C.port);
    logline(std::string("ready: ") + Botan::version_string() + (C.no_srp ? ", no SRP" : ", SRP") +
            (C.fake_users ? ", fake users" : "") + ", " + std::to_string(C.users.size()) + " users");

    serve_forever(lfd, serve_one, creds.get());
    return 0;
}
