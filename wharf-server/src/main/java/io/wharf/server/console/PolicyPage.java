package io.wharf.server.console;

import java.util.List;

/**
 * A policy editor: the repository policy or the lifecycle policy of one repository, with the text as stored or as
 * the user last sent it, and the domain's validation message for it.
 *
 * @param text      what the text area holds: the stored policy, or the user's text after a refused save
 * @param error     why the text was refused (the domain's message); null: it was not
 * @param notice    what just happened (saved, deleted); null: nothing
 * @param name      the repository; null on the registry policy's page
 * @param stored    whether there is such a policy (the delete link is shown)
 * @param parentHref the page above this one (the repository's images, or the settings), named {@code parentLabel}
 * @param lifecycle the lifecycle parts; null on the repository policy's page
 */
public record PolicyPage(Frame frame, String name, String heading, String text, String error, String notice,
                         boolean stored, String action, String deleteHref, String parentHref, String parentLabel,
                         Lifecycle lifecycle) {

    /**
     * @param lastEvaluated when a lifecycle run last evaluated the stored policy ({@code never})
     * @param previewAction where the editor's text is previewed
     * @param preview       the preview just run or the last one stored; null: none, or not allowed to see it
     */
    public record Lifecycle(String lastEvaluated, String previewAction, Preview preview) {
    }

    /**
     * What a lifecycle policy would do now: every image it acts on, oldest first.
     *
     * @param evaluatedAt when the preview was run
     * @param expiring    how many of the images it would expire
     */
    public record Preview(String evaluatedAt, long expiring, List<Row> rows) {
    }

    /** One image the policy acts on, and the rule (by priority) that does. */
    public record Row(String digest, String shortDigest, String href, List<String> tags, String pushedAt,
                      int rulePriority, String action) {
    }
}
