package io.wharf.server.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;

/**
 * The console's templates, compiled with the module from {@code src/main/jte} (jte-maven-plugin): rendering
 * loads classes, it compiles nothing. The Html content type escapes every value written into a page.
 */
final class Templates {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    /** {@code name} rendered with its one parameter. */
    String render(String name, Object model) {
        StringOutput out = new StringOutput();
        engine.render(name, model, out);
        return out.toString();
    }
}
