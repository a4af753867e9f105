package io.wharf.server.cli;

import io.wharf.server.signing.Pem;
import io.wharf.server.signing.Signatures;
import java.io.PrintWriter;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf signing public-key <profileArn>}: the public key of the key Wharf signs with for a signing profile
 * (created on first use), as PEM, for {@code cosign verify --key} (docs/signatures.md). Exit status: 0 printed,
 * 1 failed, 2 not a signing profile ARN.
 */
@Command(name = "signing", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = WharfCommand.VersionProvider.class,
        description = "The keys Wharf signs pushed images with (ECR's signing configuration).")
final class SigningCommand {
    private static final Pattern PROFILE_ARN =
            Pattern.compile("arn:aws[a-z-]*:signer:[a-z0-9-]+:\\d{12}:/signing-profiles/[A-Za-z0-9_]{2,64}");

    @Mixin
    private AccountStoreOptions store;

    private final PrintWriter out;
    private final DataDirCommand dataDir;

    SigningCommand(Map<String, String> env, PrintWriter out, PrintWriter err) {
        this.out = out;
        this.dataDir = new DataDirCommand("wharf signing", env, err);
    }

    @Command(name = "public-key", description = "Prints the profile's public key (PEM); creates the key on first use.")
    int publicKey(@Parameters(paramLabel = "PROFILE_ARN",
            description = "arn:aws:signer:<region>:<account>:/signing-profiles/<name>") String profileArn) {
        return Quiet.run(() -> dataDir.withConfig(store.data, store.config, cfg -> {
            if (!PROFILE_ARN.matcher(profileArn).matches()) {
                return dataDir.fail(WharfCommand.EXIT_USAGE, "not a signing profile ARN: " + profileArn);
            }
            out.print(Pem.publicKey(Signatures.keys(cfg).publicKey(profileArn)));
            out.flush();
            return 0;
        }));
    }
}
