# Sourced by the plug-in device tests: one reference-client handshake, graded.
# Uses the caller's RC (interop/tests/apache-refclient.sh) and counts failures in `fails`.
check() { # NAME EXPECTED CLIENT PORT SUITE VERSION USER PASSWORD
    local name=$1 exp=$2 out got
    out=$(SRP_PASSWORD=$8 "$RC" "$3" "$4" "$5" "$6" "$7")
    got=${out#outcome=}; got=${got%% *}
    if [ "$got" = "$exp" ]; then echo "PASS $name ($got)"
    else echo "FAIL $name: expected $exp, got $out"; fails=$((fails + 1)); fi
}
