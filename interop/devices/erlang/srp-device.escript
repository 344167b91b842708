#!/usr/bin/env escript
%% -*- erlang -*-
%%! -noinput
%% Erlang/OTP 25 `ssl` (pure Erlang TLS) as a TLS-SRP device.
%%
%%   escript srp-device.escript DIR
%%
%% Reads DIR/device.conf (written by ./device, one "key=value" a line):
%%   users=FILE        lines "name:password:bits" (one group per user)
%%   versions=1.0,1.1,1.2
%%   mode=srp|no-srp
%%   unknown_user=47|115  what the lookup fun does for an unknown user:
%%                     47  = return `error` (OTP turns it into illegal_parameter,
%%                           the stack's out-of-the-box behaviour)
%%                     115 = return an #alert{} record for unknown_psk_identity
%%   route=1|0         1 (default): a byte relay on the public port routes each
%%                     connection, by its ClientHello, to one of up to four OTP
%%                     listeners (RSA or DSA certificate x TLS 1.0-1.2 or
%%                     TLS 1.0-1.1), so all nine suites work; 0: one listener
%%   certs=rsa,dsa     route=0 only: certificates to load (certs_keys order)
%%   rsa_cert, rsa_key, dsa_cert, dsa_key
%%   salt=nonzero|leading-zero  first byte of every user's random 16-byte salt:
%%                     nonzero (default) or 0x00.  OpenSSL clients (curl) hash
%%                     the salt as a BIGNUM (SRP_Calc_x: BN_bn2bin drops
%%                     leading zero bytes), so a salt starting with 0x00 makes
%%                     every login of that user fail for the device's lifetime
%%                     (OTP then closes without an alert); leading-zero shows it
%% Listens on 127.0.0.1 port 0 (the kernel picks), writes DIR/port and prints
%% "LISTENING <port>".  One process per connection; every receive is bounded.
%% Logs one line per handshake to stderr (result, user, suite, version).
%%
%% OTP cannot load a verifier: its user_lookup_fun returns
%% {ok, {srp_BITS, Salt, X}} with X = SHA1(Salt | SHA1(User ":" Password))
%% and OTP computes v = g^X mod N itself.  X is computed here at start-up
%% from the users file; the passwords are dropped right after.
-mode(compile).

main([Dir]) ->
    try run(Dir)
    catch C:E:St ->
        io:format(standard_error, "erlang-device: fatal: ~p:~p ~p~n", [C, E, St]),
        halt(2)
    end;
main(_) ->
    io:format(standard_error, "usage: srp-device.escript DIR~n", []),
    halt(2).

conf(Dir) ->
    {ok, Bin} = file:read_file(filename:join(Dir, "device.conf")),
    maps:from_list([list_to_tuple(string:split(L, "="))
                    || L <- string:lexemes(binary_to_list(Bin), "\n"), lists:member($=, L)]).

users(File, SaltKind) ->
    {ok, Bin} = file:read_file(File),
    maps:from_list(
      [begin
           [Name, Pass, Bits] = string:split(L, ":", all),
           Salt = salt(SaltKind),
           X = crypto:hash(sha, [Salt, crypto:hash(sha, [Name, ":", Pass])]),
           persistent_term:put({srp_bits, list_to_binary(Name)}, list_to_integer(Bits)),
           {list_to_binary(Name), {list_to_atom("srp_" ++ Bits), Salt, X}}
       end || L <- string:lexemes(binary_to_list(Bin), "\r\n"), L =/= ""]).

%% A random 16-byte salt whose first byte is non-zero, or zero (see salt= above).
salt("leading-zero") -> <<0, (crypto:strong_rand_bytes(15))/binary>>;
salt(Kind) ->
    case crypto:strong_rand_bytes(16) of
        <<0, _/binary>> -> salt(Kind);
        S -> S
    end.

version(<<"1.0">>) -> tlsv1;
version(<<"1.1">>) -> 'tlsv1.1';
version(<<"1.2">>) -> 'tlsv1.2';
version(L) when is_list(L) -> version(list_to_binary(L)).

is_srp(#{key_exchange := K}) -> lists:member(K, [srp_anon, srp_rsa, srp_dss]).

run(Dir) ->
    C = conf(Dir),
    [ok = application:ensure_started(A) || A <- [crypto, asn1, public_key, ssl]],
    Versions = [version(V) || V <- string:lexemes(maps:get("versions", C, "1.0,1.1,1.2"), ",")],
    Mode = maps:get("mode", C, "srp"),
    Unknown = maps:get("unknown_user", C, "47"),
    Users = case Mode of "no-srp" -> #{}; _ -> users(maps:get("users", C), maps:get("salt", C, "nonzero")) end,
    Lookup = fun(srp, undefined, _) ->
                     log("lookup: no SRP extension (username undefined)"),
                     unknown_user(Unknown);
                (srp, Name, U) ->
                     case maps:find(Name, U) of
                         {ok, Entry} -> {ok, Entry};
                         error -> log("lookup: unknown user ~s", [Name]), unknown_user(Unknown)
                     end
             end,
    SrpOpts = case Mode of
                  "no-srp" -> [];
                  _ -> [{user_lookup_fun, {Lookup, Users}}]
              end,
    Listen = fun(Name, CertKeys, Vs) -> listener(C, Mode, Name, CertKeys, Vs, SrpOpts) end,
    Port = case maps:get("route", C, "1") of
               "1" when Mode =/= "no-srp" ->
                   %% One OTP listener per certificate type and version set,
                   %% a byte relay in front picks one from the ClientHello.
                   V11 = Versions -- ['tlsv1.2'],
                   Backends = maps:from_list(
                                [{{K, V}, Listen(K ++ "/" ++ atom_to_list(V), [K], Vs)}
                                 || K <- ["rsa", "dsa"], maps:is_key(K ++ "_cert", C),
                                    {V, Vs} <- [{v12, Versions}, {v11, V11}], Vs =/= []]),
                   front(Backends);
               _ ->
                   Listen("direct", string:lexemes(maps:get("certs", C, "rsa"), ","), Versions)
           end,
    ok = file:write_file(filename:join(Dir, "port.tmp"), integer_to_list(Port) ++ "\n"),
    ok = file:rename(filename:join(Dir, "port.tmp"), filename:join(Dir, "port")),
    io:format("LISTENING ~p~n", [Port]),
    log("ready on 127.0.0.1:~p (mode=~s unknown_user=~s)", [Port, Mode, Unknown]),
    receive stop -> ok end.

%% An OTP ssl listener on 127.0.0.1:0 with the certificates named in CertKeys
%% and only the suites those certificates can serve: OTP 25 does not pick the
%% certificate by suite (with RSA and DSA in certs_keys it sends the RSA one
%% for SRP-DSS; with only RSA it still negotiates SRP-DSS), so a listener must
%% not offer a suite whose certificate it does not hold.
listener(C, Mode, Name, CertKeys, Versions, SrpOpts) ->
    All = lists:usort(lists:append(
            [ssl:cipher_suites(all, V) ++ ssl:cipher_suites(anonymous, V) || V <- Versions])),
    Kx = [srp_anon || lists:member("rsa", CertKeys)] ++
         [srp_rsa || lists:member("rsa", CertKeys)] ++ [srp_dss || lists:member("dsa", CertKeys)],
    Suites = case Mode of
                 "no-srp" -> [S || S <- All, not is_srp(S)];
                 _ -> [S || S = #{key_exchange := K} <- All, lists:member(K, Kx)]
             end,
    Certs = [#{certfile => maps:get(K ++ "_cert", C), keyfile => maps:get(K ++ "_key", C)}
             || K <- CertKeys, maps:is_key(K ++ "_cert", C)],
    Opts = [{ip, {127, 0, 0, 1}}, {reuseaddr, true}, {active, false}, binary,
            {versions, Versions}, {ciphers, Suites}, {certs_keys, Certs},
            {log_level, none}] ++ SrpOpts,
    {ok, L} = ssl:listen(0, Opts),
    {ok, {_, Port}} = ssl:sockname(L),
    log("listener ~s on ~p: versions=~p suites=~p",
        [Name, Port, Versions, [ssl:suite_to_str(S) || S <- Suites]]),
    spawn(fun() -> accept_loop(L) end),
    Port.

%% The front: plain TCP, reads the first record (the ClientHello), chooses
%% the backend (DSA when the client offers SRP-DSS suites only; the
%% TLS-1.0/1.1 listener, where OTP has SRP-RSA/DSS 3DES, when the client's
%% highest version is below 1.2) and relays bytes both ways, unchanged.
front(Backends) ->
    {ok, L} = gen_tcp:listen(0, [{ip, {127, 0, 0, 1}}, {reuseaddr, true}, {active, false}, binary]),
    {ok, Port} = inet:port(L),
    spawn(fun() -> front_loop(L, Backends) end),
    Port.

front_loop(L, Backends) ->
    case gen_tcp:accept(L, 5000) of
        {ok, S} ->
            Pid = spawn(fun() -> receive go -> relay_start(S, Backends) after 5000 -> ok end end),
            ok = gen_tcp:controlling_process(S, Pid),
            Pid ! go;
        {error, timeout} -> ok;
        {error, E} -> log("front accept: ~p", [E]), timer:sleep(100)
    end,
    front_loop(L, Backends).

relay_start(S, Backends) ->
    timer:kill_after(90000),
    case read_record(S, <<>>) of
        {ok, Hello} ->
            {Kx, V} = route(Hello),
            Key = case maps:is_key({Kx, V}, Backends) of true -> {Kx, V}; false -> {"rsa", v12} end,
            Port = maps:get(Key, Backends),
            {ok, B} = gen_tcp:connect({127, 0, 0, 1}, Port, [binary, {active, false}], 10000),
            log("front: routed to ~s/~p", [element(1, Key), element(2, Key)]),
            ok = gen_tcp:send(B, Hello),
            relay(S, B);
        _ ->
            gen_tcp:close(S)
    end.

read_record(S, Acc) when byte_size(Acc) >= 5 ->
    <<_:3/binary, Len:16, _/binary>> = Acc,
    if byte_size(Acc) >= 5 + Len -> {ok, Acc};
       byte_size(Acc) > 20000 -> {ok, Acc};
       true -> read_more(S, Acc)
    end;
read_record(S, Acc) -> read_more(S, Acc).
read_more(S, Acc) ->
    case gen_tcp:recv(S, 0, 30000) of
        {ok, D} -> read_record(S, <<Acc/binary, D/binary>>);
        E -> E
    end.

%% {"dsa" | "rsa", v11 | v12} from a ClientHello record.
route(<<22, _:16, _:16, 1, _:24, Maj, Min, _:32/binary, SL, _:SL/binary, CL:16, Cs:CL/binary, _/binary>>) ->
    Ids = [I || <<I:16>> <= Cs],
    Dss = [I || I <- Ids, lists:member(I, [16#C01C, 16#C01F, 16#C022])],
    Other = [I || I <- Ids, lists:member(I, [16#C01A, 16#C01B, 16#C01D, 16#C01E, 16#C020, 16#C021])],
    Kx = case {Dss, Other} of {[_ | _], []} -> "dsa"; _ -> "rsa" end,
    V = case {Maj, Min} of {3, M} when M =< 2 -> v11; _ -> v12 end,
    {Kx, V};
route(_) -> {"rsa", v12}.

relay(A, B) ->
    ok = inet:setopts(A, [{active, once}]),
    ok = inet:setopts(B, [{active, once}]),
    relay_loop(A, B).
relay_loop(A, B) ->
    receive
        {tcp, A, D} -> gen_tcp:send(B, D), inet:setopts(A, [{active, once}]), relay_loop(A, B);
        {tcp, B, D} -> gen_tcp:send(A, D), inet:setopts(B, [{active, once}]), relay_loop(A, B);
        {tcp_closed, A} -> gen_tcp:close(B);
        {tcp_closed, B} -> gen_tcp:close(A);
        {tcp_error, _, _} -> gen_tcp:close(A), gen_tcp:close(B)
    after 60000 -> gen_tcp:close(A), gen_tcp:close(B)
    end.

%% 47: plain `error`; 115: an #alert{} record (ssl_alert.hrl:
%% -record(alert, {level, description, where, role, reason})), FATAL = 2.
unknown_user("115") -> {alert, 2, 115, #{mfa => {?MODULE, unknown_user, 1}, line => ?LINE, file => ?FILE}, undefined, undefined};
unknown_user(_) -> error.

accept_loop(L) ->
    case ssl:transport_accept(L, 5000) of
        {ok, T} ->
            Pid = spawn(fun() -> receive go -> serve(T) after 5000 -> ok end end),
            ok = ssl:controlling_process(T, Pid),
            Pid ! go;
        {error, timeout} -> ok;
        {error, E} -> log("accept: ~p", [E]), timer:sleep(100)
    end,
    accept_loop(L).

serve(T) ->
    %% The whole connection is bounded: 90 s (8192-bit SRP is slow).
    timer:kill_after(90000),
    case ssl:handshake(T, 60000) of
        {ok, S} ->
            Info = case ssl:connection_information(S, [protocol, selected_cipher_suite, srp_username]) of
                       {ok, I} -> I;
                       _ -> []
                   end,
            User = proplists:get_value(srp_username, Info, undefined),
            Proto = proplists:get_value(protocol, Info, undefined),
            Suite = case proplists:get_value(selected_cipher_suite, Info) of
                        undefined -> "?";
                        CS -> ssl:suite_to_str(CS)
                    end,
            log("handshake ok: user=~s suite=~s version=~p", [fmt_user(User), Suite, Proto]),
            _ = read_request(S, <<>>),
            Body = iolist_to_binary(
                     ["{\"device\":\"erlang\",\"library\":\"Erlang/OTP ", erlang:system_info(otp_release),
                      " ssl\",\"srp_user\":\"", fmt_user(User), "\",\"suite\":\"", Suite,
                      "\",\"tls_version\":\"", vstr(Proto), "\",\"group_bits\":",
                      integer_to_list(persistent_term:get({srp_bits, User}, 0)), "}\n"]),
            ssl:send(S, ["HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ",
                         integer_to_list(byte_size(Body)), "\r\nConnection: close\r\n\r\n", Body]),
            ssl:close(S);
        {error, E} ->
            log("handshake failed: ~p", [E])
    end.

vstr(tlsv1) -> "1.0";
vstr('tlsv1.1') -> "1.1";
vstr('tlsv1.2') -> "1.2";
vstr(V) -> io_lib:format("~p", [V]).

fmt_user(undefined) -> "-";
fmt_user(U) when is_binary(U) -> binary_to_list(U);
fmt_user(U) -> io_lib:format("~p", [U]).

read_request(S, Acc) when byte_size(Acc) > 8192 -> Acc;
read_request(S, Acc) ->
    case binary:match(Acc, [<<"\r\n\r\n">>, <<"\n\n">>]) of
        nomatch ->
            case ssl:recv(S, 0, 10000) of
                {ok, D} -> read_request(S, <<Acc/binary, D/binary>>);
                _ -> Acc
            end;
        _ -> Acc
    end.

log(F) -> log(F, []).
log(F, A) ->
    io:format(standard_error, "[erlang-device ~s] " ++ F ++ "~n", [pid_to_list(self()) | A]).
