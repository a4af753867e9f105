package io.wharf.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.iam.Principal;
import io.wharf.server.config.WharfConfig;
import io.wharf.storage.jdbc.JdbcMetadataStore;
import io.wharf.storage.jdbc.SqliteMetadataStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthSetupTest {
    @TempDir
    Path data;

    private WharfConfig config(boolean enabled) {
        return WharfConfig.defaults().withData(data).withAuth(new WharfConfig.AuthSettings(enabled));
    }

    private Auth open(WharfConfig config, Map<String, String> env, StringWriter err) throws Exception {
        try (JdbcMetadataStore meta = SqliteMetadataStore.open(data)) {
            return AuthSetup.open(config, meta, ResourcePolicies.NONE, env, new PrintWriter(err, true));
        }
    }

    @Test
    void disabledAuthCreatesNothingAndLetsEverythingThrough() throws Exception {
        StringWriter err = new StringWriter();
        Auth auth = open(config(false), Map.of(), err);
        assertThat(auth).isInstanceOf(DisabledAuth.class);
        assertThat(auth.authenticateRegistry(null)).isEqualTo(Principal.root("000000000000"));
        assertThat(auth.authenticateAws("POST", "/", null, Map.of(), new byte[0])).isEqualTo(Principal.root("000000000000"));
        auth.authorize(Principal.user("000000000000", "x"), "ecr:PutImage", "*", null);
        assertThat(err.toString()).isEmpty();
        assertThat(data.resolve(KeyFiles.DIRECTORY)).doesNotExist();
        assertThat(data.resolve(AuthSetup.CREDENTIALS_FILE)).doesNotExist();
    }

    @Test
    void theFirstStartGeneratesAndAnnouncesARootKeyOnce() throws Exception {
        StringWriter err = new StringWriter();
        open(config(true), Map.of(), err);
        Matcher m = Pattern.compile("AWS_ACCESS_KEY_ID=(AKIA[A-Z2-7]{16})\\R\\s*AWS_SECRET_ACCESS_KEY=(\\S{40})").matcher(err.toString());
        assertThat(m.find()).as(err.toString()).isTrue();
        String credentials = Files.readString(data.resolve(AuthSetup.CREDENTIALS_FILE));
        assertThat(credentials).contains("[wharf]\naws_access_key_id = " + m.group(1) + "\naws_secret_access_key = " + m.group(2));
        assertThat(err.toString()).contains("get-login-password");
        for (String key : new String[] {RegistryTokens.KEY_FILE, AuthSetup.SECRET_KEY_FILE}) {
            Path file = data.resolve(KeyFiles.DIRECTORY).resolve(key);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }

        StringWriter again = new StringWriter();
        open(config(true), Map.of(), again);
        assertThat(again.toString()).isEmpty();
        assertThat(Files.readString(data.resolve(AuthSetup.CREDENTIALS_FILE))).isEqualTo(credentials);
    }

    @Test
    void tokensSurviveARestartBecauseTheSigningKeyIsKept() throws Exception {
        StringWriter err = new StringWriter();
        Auth first = open(config(true), Map.of(), err);
        RegistryToken token = first.issueRegistryToken(Principal.root("000000000000"));
        try (JdbcMetadataStore meta = SqliteMetadataStore.open(data)) {
            Auth second = AuthSetup.open(config(true), meta, ResourcePolicies.NONE, Map.of(), new PrintWriter(err, true));
            assertThat(second.authenticateRegistry("Basic " + token.authorizationToken())).isEqualTo(Principal.root("000000000000"));
        }
    }

    @Test
    void halfARootKeyInTheEnvironmentIsRefused() {
        assertThatThrownBy(() -> open(config(true), Map.of(AuthSetup.ENV_ROOT_KEY_ID, "AKIAAAAAAAAAAAAAAAAA"), new StringWriter()))
                .hasMessageContaining("both its id and its secret");
    }
}
