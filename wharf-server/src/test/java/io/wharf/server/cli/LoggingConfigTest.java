package io.wharf.server.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shipped logback.xml, loaded into a private context for each log-format. */
class LoggingConfigTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty(ServeCommand.LOG_FORMAT_PROPERTY);
    }

    @ParameterizedTest
    @CsvSource({"text, INFO  [main] wharf.test - hello world", "json, \"formattedMessage\":\"hello world\""})
    void eachFormatConfiguresCleanly(String format, String expected) throws Exception {
        System.setProperty(ServeCommand.LOG_FORMAT_PROPERTY, format);
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(getClass().getResource("/logback.xml"));

        assertThat(new StatusUtil(context).getHighestLevel(0)).as(statuses(context)).isLessThan(Status.WARN);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        @SuppressWarnings("unchecked")
        OutputStreamAppender<ILoggingEvent> console = (OutputStreamAppender<ILoggingEvent>) root.getAppender("console");
        LoggingEvent event = new LoggingEvent("x", context.getLogger("wharf.test"), Level.INFO, "hello {}", null,
                new Object[] {"world"});
        event.setThreadName("main");
        assertThat(new String(console.getEncoder().encode(event), UTF_8)).contains(expected);
        assertThat(context.getLogger("org.eclipse.jetty.server.Server").isInfoEnabled()).isFalse();
        assertThat(context.getLogger("wharf.access").isInfoEnabled()).isTrue();
        context.stop();
    }

    private static String statuses(LoggerContext context) {
        StringBuilder sb = new StringBuilder();
        context.getStatusManager().getCopyOfStatusList().forEach(s -> sb.append(s).append('\n'));
        return sb.toString();
    }
}
