package io.wharf.storage.jdbc;

import io.wharf.core.spi.TemplateIndex;
import io.wharf.core.template.CreationTemplate;
import io.wharf.core.template.TemplateJson;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link TemplateIndex} in the metadata database: {@code creation_template} and {@code account_setting}. */
final class JdbcTemplates implements TemplateIndex {
    private static final String COLUMNS = "prefix, content, created_at, updated_at";
    private static final String FIND = "SELECT " + COLUMNS + " FROM creation_template WHERE account = ? AND prefix = ?";
    private static final String PAGE = "SELECT " + COLUMNS + " FROM creation_template WHERE account = ? AND prefix > ?"
            + " ORDER BY prefix LIMIT ?";
    private static final String UPDATE = "UPDATE creation_template SET content = ?, updated_at = ? WHERE account = ? AND prefix = ?";
    private static final String DELETE = "DELETE FROM creation_template WHERE account = ? AND prefix = ?";
    private static final String COUNT = "SELECT COUNT(*) AS n FROM creation_template WHERE account = ?";
    private static final String SETTING = "SELECT value FROM account_setting WHERE account = ? AND name = ?";

    private final Jdbc jdbc;
    private final String insert;
    private final String upsertSetting;

    JdbcTemplates(Jdbc jdbc, SqlDialect dialect) {
        this.jdbc = jdbc;
        this.insert = dialect.insertIgnore("creation_template",
                List.of("account", "prefix", "content", "created_at", "updated_at"), List.of("account", "prefix"));
        this.upsertSetting = dialect.upsert("account_setting", List.of("account", "name", "value", "updated_at"),
                List.of("account", "name"), List.of("value", "updated_at"));
    }

    @Override
    public boolean createTemplate(String account, CreationTemplate t) {
        return jdbc.write("create a template", c -> Jdbc.update(c, insert, account, t.prefix(), TemplateJson.write(t),
                t.createdAt(), t.updatedAt()) > 0);
    }

    @Override
    public boolean updateTemplate(String account, CreationTemplate t) {
        return jdbc.write("update a template", c -> Jdbc.update(c, UPDATE, TemplateJson.write(t), t.updatedAt(),
                account, t.prefix()) > 0);
    }

    @Override
    public boolean deleteTemplate(String account, String prefix) {
        return jdbc.write("delete a template", c -> Jdbc.update(c, DELETE, account, prefix) > 0);
    }

    @Override
    public Optional<CreationTemplate> findTemplate(String account, String prefix) {
        return jdbc.read("find a template", c -> Jdbc.queryOne(c, FIND, JdbcTemplates::template, account, prefix));
    }

    @Override
    public List<CreationTemplate> templates(String account, String afterPrefix, int limit) {
        return jdbc.read("list templates", c -> Jdbc.query(c, PAGE, JdbcTemplates::template, account,
                afterPrefix == null ? "" : afterPrefix, limit));
    }

    @Override
    public long countTemplates(String account) {
        return jdbc.read("count templates", c -> Jdbc.queryOne(c, COUNT, rs -> rs.getLong("n"), account).orElse(0L));
    }

    @Override
    public Optional<String> accountSetting(String account, String name) {
        return jdbc.read("read an account setting", c -> Jdbc.queryOne(c, SETTING, rs -> rs.getString("value"), account, name));
    }

    @Override
    public void putAccountSetting(String account, String name, String value, Instant now) {
        jdbc.write("put an account setting", c -> Jdbc.update(c, upsertSetting, account, name, value, now));
    }

    private static CreationTemplate template(ResultSet rs) throws SQLException {
        return TemplateJson.read(rs.getString("prefix"), rs.getString("content"), Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "updated_at"));
    }
}
