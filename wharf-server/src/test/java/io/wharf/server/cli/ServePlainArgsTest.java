package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The picocli-free parse of a plain {@code serve} command line agrees with picocli, or defers to it. */
class ServePlainArgsTest {
    private final PrintWriter err = new PrintWriter(new StringWriter(), true);

    @ParameterizedTest
    @ValueSource(strings = {
        "serve",
        "serve --listen 127.0.0.1:5077",
        "serve --listen=:5000 --data /var/lib/wharf",
        "serve --data=d=1 -c wharf.yml",
        "serve --config /etc/wharf.yml --data ./data --listen [::1]:5000",
        "serve --config=c.yml --listen 0.0.0.0:80",
    })
    void parsesAsPicocliDoes(String line) {
        String[] args = line.split(" ");
        ServeCommand plain = ServeCommand.plain(Map.of(), err, args);
        ServeCommand picocli = new ServeCommand(Map.of(), err);
        new CommandLine(picocli).parseArgs(Arrays.copyOfRange(args, 1, args.length));

        assertThat(plain).isNotNull();
        assertThat(plain.options()).containsExactly(picocli.options());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "--version", "iam users", "serve --help", "serve -h", "serve --version", "serve -V", "serve --port 5000",
        "serve --data a --data b", "serve --data", "serve --data=", "serve --listen --data d", "serve -c=x.yml",
        "serve extra", "serve --data=a -c b --config c",
    })
    void leavesEverythingElseToPicocli(String line) {
        assertThat(ServeCommand.plain(Map.of(), err, line.split(" "))).isNull();
    }
}
