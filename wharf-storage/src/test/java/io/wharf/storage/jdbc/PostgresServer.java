package io.wharf.storage.jdbc;

import io.wharf.core.spi.MetadataStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for the tests of this JVM: started on first use in a temporary directory
 * ({@code initdb}, {@code pg_ctl}) on a free loopback port, stopped and deleted when the JVM exits. Each
 * test takes a fresh database of its own from {@link #newStore()}.
 *
 * <p>The binaries come from {@code $WHARF_TEST_PG_BIN}, else Debian's {@code /usr/lib/postgresql/15/bin}
 * (package {@code postgresql-15}, which {@code e2e/install-deps.sh} installs), else the PATH. PostgreSQL refuses
 * to run as root: as root (as CI runs) the server runs as {@code nobody}, in a directory under {@code /tmp} that
 * {@code nobody} owns ({@code java.io.tmpdir} may be a directory only root can enter).
 */
public final class PostgresServer {

    public static final String USER = "wharf";
    private static final Path DEBIAN_BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer instance;

    private final Path dir;
    private final int port;

    private PostgresServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** The server of this JVM, started on the first call. */
    public static synchronized PostgresServer get() {
        if (instance == null) {
            instance = start();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "stop-postgres"));
        }
        return instance;
    }

    /** A store on a new, empty database. */
    static MetadataStore newStore() {
        return get().openStore(get().createDatabase());
    }

    /** Creates an empty database and returns its JDBC URL. */
    public String createDatabase() {
        String name = "wharf_test_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, null);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return url(name);
    }

    /**
     * A store with four connections, as small as a busy node's share. A request waits up to 30 s for one (the
     * deployed default is 3 s): the contracts test what the store does, not how fast a loaded CI machine runs it.
     */
    public JdbcMetadataStore openStore(String url) {
        return PostgresMetadataStore.open(url, USER, null, 4, java.time.Duration.ofSeconds(30));
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private static PostgresServer start() {
        try {
            Path dir = isRoot() ? Files.createTempDirectory(Path.of("/tmp"), "wharf-pg")
                    : Files.createTempDirectory("wharf-pg");
            if (isRoot()) {
                UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
                Files.setOwner(dir, nobody);
            }
            Path data = dir.resolve("data");
            run(List.of(bin("initdb"), "-D", data.toString(), "-U", USER, "--auth=trust", "--no-locale",
                    "-E", "UTF8", "--no-sync"), dir);
            int port = freePort();
            String options = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                    + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
            run(List.of(bin("pg_ctl"), "-D", data.toString(), "-o", options, "-l", dir.resolve("log").toString(),
                    "-w", "start"), dir);
            return new PostgresServer(dir, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void stop() {
        try {
            run(List.of(bin("pg_ctl"), "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop"), dir);
        } catch (RuntimeException e) {
            System.err.println("could not stop the test PostgreSQL: " + e.getMessage());
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }

    private static void run(List<String> command, Path dir) {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", "nobody", "--"));
        }
        full.addAll(command);
        try {
            Process p = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("commands.out").toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(command.getFirst() + " failed: "
                        + Files.readString(dir.resolve("commands.out")) + readLog(dir));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String readLog(Path dir) throws IOException {
        Path log = dir.resolve("log");
        return Files.exists(log) ? "\n" + Files.readString(log) : "";
    }

    private static String bin(String name) {
        String env = System.getenv("WHARF_TEST_PG_BIN");
        Path dir = env != null ? Path.of(env) : DEBIAN_BIN;
        Path exe = dir.resolve(name);
        if (Files.isExecutable(exe)) {
            return exe.toString();
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String entry : path.split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, name))) {
                return name;
            }
        }
        throw new IllegalStateException("PostgreSQL's " + name + " was found neither in " + dir + " nor on the PATH:"
                + " install the server binaries (Debian: apt-get install postgresql-15, or run e2e/install-deps.sh as"
                + " root), or set WHARF_TEST_PG_BIN to the directory that holds initdb and pg_ctl");
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
