package io.wharf.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.RepositorySettings;
import io.wharf.core.service.RepoKey;
import io.wharf.server.app.Application;
import io.wharf.server.app.Backend;
import io.wharf.server.app.Wiring;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.config.WharfConfig.Listen;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The server with {@code events.log: true}: a write's event reaches the log at once, not at the next poll. */
class EventLogApplicationTest {
    @TempDir
    Path data;

    @Test
    void aCommittedWriteWakesTheDispatcherAndIsLoggedAsEventBridgeJson() throws Exception {
        WharfConfig defaults = WharfConfig.defaults();
        WharfConfig config = defaults.withData(data).withListen(new Listen("127.0.0.1", 0))
                .withAuth(new WharfConfig.AuthSettings(false)).withShutdownTimeout(Duration.ofSeconds(2))
                .withEvents(new WharfConfig.Events(Duration.ofHours(1), Duration.ofDays(7), 100, true));
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        Logger events = (Logger) LoggerFactory.getLogger(LogSubscriber.LOGGER);
        lines.start();
        events.addAppender(lines);
        Backend backend = Wiring.open(config);
        Application app = Application.start(config, backend, registry -> Wiring.api(registry, config, backend.auth()));
        try {
            backend.registry().repositories().create(new RepoKey(config.account(), RepositoryName.parse("team/app")),
                    RepositorySettings.DEFAULTS, Map.of());
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos(); // far less than the 1 h poll
            while (lines.list.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            List<String> logged = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(logged).hasSize(1);
            JsonNode line = new ObjectMapper().readTree(logged.getFirst());
            assertThat(line.get("detail-type").asText()).isEqualTo("Wharf Repository Action");
            assertThat(line.get("account").asText()).isEqualTo(config.account());
            assertThat(line.get("region").asText()).isEqualTo(config.region());
            assertThat(line.get("detail").get("repository-name").asText()).isEqualTo("team/app");
        } finally {
            app.stop();
            events.detachAppender(lines);
        }
    }
}
