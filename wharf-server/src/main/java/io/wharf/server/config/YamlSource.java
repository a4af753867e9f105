package io.wharf.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wharf.server.config.ConfigLoader.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the YAML configuration file into settings. Streams tokens rather than binding a tree so
 * that every value keeps its original text ({@code account: 000000000000} is not the number 0) and
 * every error can name its line.
 */
final class YamlSource {
    private final Path file;
    private final Map<ConfigKey, Setting> into;
    private final Set<ConfigKey> seen = EnumSet.noneOf(ConfigKey.class);

    private YamlSource(Path file, Map<ConfigKey, Setting> into) {
        this.file = file;
        this.into = into;
    }

    /** Puts every value the file sets into {@code into}, replacing what was there. */
    static void read(Path file, Map<ConfigKey, Setting> into) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        new YamlSource(file, into).parse(bytes);
    }

    private void parse(byte[] bytes) {
        try (JsonParser p = new YAMLFactory().createParser(bytes)) {
            JsonToken first = p.nextToken();
            if (first == null || first == JsonToken.VALUE_NULL) {
                return; // an empty file sets nothing
            }
            if (first != JsonToken.START_OBJECT) {
                throw new ConfigException(where(p) + ": the top level must be a mapping of keys to values");
            }
            readMapping(p, "");
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            throw new ConfigException(file + (line > 0 ? " line " + line : "") + ": not valid YAML: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
    }

    private void readMapping(JsonParser p, String prefix) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String path = prefix + p.currentName();
            String where = where(p);
            JsonToken value = p.nextToken();
            if (value == JsonToken.START_OBJECT && ConfigKey.isSection(path)) {
                readMapping(p, path + ".");
            } else if (value == JsonToken.VALUE_NULL && ConfigKey.isSection(path)) {
                continue; // "tls:" with nothing under it
            } else {
                readScalar(p, path, where, value);
            }
        }
    }

    private void readScalar(JsonParser p, String path, String where, JsonToken value) {
        ConfigKey key = ConfigKey.byPath(path).orElse(null);
        if (key == null) {
            throw new ConfigException(where + ": " + describeUnknown(path));
        }
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
            throw new ConfigException(where + ": " + path + " takes a single value, not a "
                    + (value == JsonToken.START_ARRAY ? "list" : "mapping"));
        }
        if (!seen.add(key)) {
            throw new ConfigException(where + ": " + path + " is set twice");
        }
        if (value != JsonToken.VALUE_NULL) {
            into.put(key, new Setting(text(p), where));
        }
    }

    private static String text(JsonParser p) {
        try {
            return p.getText();
        } catch (IOException e) {
            throw new ConfigException("cannot read value: " + e.getMessage(), e);
        }
    }

    private static String describeUnknown(String path) {
        if (ConfigKey.isSection(path)) {
            return path + " is a section; put its keys under it (" + String.join(", ", childrenOf(path + ".")) + ")";
        }
        int dot = path.lastIndexOf('.');
        String parent = dot < 0 ? "" : path.substring(0, dot + 1);
        return "unknown key '" + path + "'; known keys" + (parent.isEmpty() ? "" : " in " + parent.substring(0, dot))
                + ": " + String.join(", ", childrenOf(parent));
    }

    /** Names directly under a section prefix ("" for the top level), sections included once. */
    private static Set<String> childrenOf(String prefix) {
        Set<String> names = new TreeSet<>();
        for (ConfigKey k : ConfigKey.values()) {
            if (k.path().startsWith(prefix)) {
                String rest = k.path().substring(prefix.length());
                int dot = rest.indexOf('.');
                names.add(dot < 0 ? rest : rest.substring(0, dot));
            }
        }
        return names;
    }

    private String where(JsonParser p) {
        return file + " line " + p.currentTokenLocation().getLineNr();
    }
}
