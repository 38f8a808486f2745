# Command-line errors: one line, status 2; --help works for every command.
. "$ROOT/tests/integration/lib.sh"
sv --help; expect_status 0; expect_out 'run'
sv run --help; expect_status 0; expect_out '--cpu-model'
sv host --help; expect_status 0
sv model --help; expect_status 0
sv pool --help; expect_status 0
sv frobnicate; expect_status 2; expect_one_error "unknown command 'frobnicate'"
sv run --mem 12Q; expect_status 2; expect_one_error "--mem: bad size '12Q'"
sv run --mem 8G; expect_status 2; expect_one_error '--mem'
sv run --vcpus 0; expect_status 2; expect_one_error '--vcpus'
sv run --vcpus 65; expect_status 2; expect_one_error '--vcpus'
sv run --mitigation-policy sometimes; expect_status 2; expect_one_error 'sometimes'
sv run --force-spec-ctrl 0x1:0x2; expect_status 2; expect_one_error 'force-spec-ctrl'
sv run --report xml; expect_status 2; expect_one_error "xml"
sv run --no-such-option; expect_status 2; expect_one_error 'no-such-option'
sv run extra-arg; expect_status 2; expect_one_error 'extra-arg'
sv run --kvm /nonexistent/kvm --kernel "$(guest hello)"; expect_status 2; expect_one_error '/nonexistent/kvm does not exist'
