package io.wharf.server.console;

import io.wharf.core.error.PolicyNotFoundException;
import io.wharf.core.iam.PolicyDocument;
import io.wharf.core.iam.PolicySyntaxException;
import io.wharf.core.lifecycle.LifecyclePolicy;
import io.wharf.core.lifecycle.LifecyclePolicyException;
import io.wharf.core.service.LifecyclePreview;
import io.wharf.core.service.RepoKey;
import io.wharf.core.spi.DocumentKind;
import io.wharf.core.spi.StoredDocument;
import java.io.IOException;
import java.util.Optional;

/**
 * The policy editors: a repository's policy (Get/Set/DeleteRepositoryPolicy) and lifecycle policy
 * (Get/Put/DeleteLifecyclePolicy) with its preview (StartLifecyclePolicyPreview), and the registry policy
 * (Get/Put/DeleteRegistryPolicy). A text is checked by the domain's
 * parsers, as the ECR operations check it, after the same length limits; a refused text comes back in the editor
 * with the domain's message beside it. Saves and deletes answer with a redirect (a reload does not post again).
 */
final class PolicyPages {
    static final String FIELD = "policy";

    private final ConsoleContext context;
    private final LifecyclePreviews previews;

    PolicyPages(ConsoleContext context) {
        this.context = context;
        this.previews = new LifecyclePreviews(context);
    }

    // ---- repository policy

    Reply repositoryPolicy(ConsoleCall call) {
        RepoKey key = call.repository();
        Optional<StoredDocument> stored = stored(key, DocumentKind.REPOSITORY_POLICY);
        String text = stored.map(d -> d.text()).orElse("");
        return Reply.page("policy.jte", repositoryPage(call, text, null, notice(call), stored.isPresent()));
    }

    Reply setRepositoryPolicy(ConsoleCall call) throws Exception {
        RepoKey key = call.repository();
        String text = textArea(call, FIELD);
        String error = policyError(text, "repository");
        if (error != null) {
            boolean stored = stored(key, DocumentKind.REPOSITORY_POLICY).isPresent();
            return new Reply.Page(400, "policy.jte", repositoryPage(call, text, error, null, stored));
        }
        context.registry().repositories().putDocument(key, DocumentKind.REPOSITORY_POLICY, text);
        return Reply.redirect(AdminPaths.repositoryPolicy(key.name().value()) + "?saved=1");
    }

    Reply confirmDeleteRepositoryPolicy(ConsoleCall call) {
        String name = call.repository().name().value();
        return Reply.page("confirm.jte", new ConfirmPage(call.frame("Delete the repository policy"),
                "Delete the repository policy?", "This deletes the repository policy of " + name + ".",
                AdminPaths.deleteRepositoryPolicy(name), "Delete the policy", AdminPaths.repositoryPolicy(name)));
    }

    Reply deleteRepositoryPolicy(ConsoleCall call) {
        RepoKey key = call.repository();
        context.registry().repositories().deleteDocument(key, DocumentKind.REPOSITORY_POLICY);
        return Reply.redirect(AdminPaths.repositoryPolicy(key.name().value()) + "?deleted=1");
    }

    private PolicyPage repositoryPage(ConsoleCall call, String text, String error, String notice, boolean stored) {
        String name = call.repository().name().value();
        return new PolicyPage(call.frame("Repository policy · " + name), name, "Repository policy", text, error,
                notice, stored, AdminPaths.repositoryPolicy(name), AdminPaths.deleteRepositoryPolicy(name),
                ConsolePath.images(name), name, null);
    }

    /** The domain's verdict on a repository or registry policy text ({@code kind}); null: valid. */
    private String policyError(String text, String kind) {
        String length = length(text, 1, context.registry().quotas().maxPolicyChars());
        if (length != null) {
            return length;
        }
        try {
            PolicyDocument.parse(text);
            return null;
        } catch (PolicySyntaxException e) {
            return "Invalid " + kind + " policy: " + e.getMessage();
        }
    }

    // ---- registry policy (the settings page links here)

    Reply registryPolicy(ConsoleCall call) {
        Optional<StoredDocument> stored = context.registry().repositories()
                .accountDocument(call.principal().account(), DocumentKind.REGISTRY_POLICY);
        return Reply.page("policy.jte", registryPage(call, stored.map(StoredDocument::text).orElse(""), null,
                notice(call), stored.isPresent()));
    }

    Reply putRegistryPolicy(ConsoleCall call) throws Exception {
        String account = call.principal().account();
        String text = textArea(call, FIELD);
        String error = policyError(text, "registry");
        if (error != null) {
            boolean stored = context.registry().repositories().accountDocument(account, DocumentKind.REGISTRY_POLICY)
                    .isPresent();
            return new Reply.Page(400, "policy.jte", registryPage(call, text, error, null, stored));
        }
        context.registry().repositories().putAccountDocument(account, DocumentKind.REGISTRY_POLICY, text);
        return Reply.redirect(AdminPaths.registryPolicy() + "?saved=1");
    }

    Reply confirmDeleteRegistryPolicy(ConsoleCall call) {
        return Reply.page("confirm.jte", new ConfirmPage(call.frame("Delete the registry policy"),
                "Delete the registry policy?", "This deletes the registry policy of account "
                + call.principal().account() + ".", AdminPaths.deleteRegistryPolicy(), "Delete the policy",
                AdminPaths.registryPolicy()));
    }

    Reply deleteRegistryPolicy(ConsoleCall call) {
        context.registry().repositories().deleteRegistryPolicy(call.principal().account());
        return Reply.redirect(AdminPaths.registryPolicy() + "?deleted=1");
    }

    private PolicyPage registryPage(ConsoleCall call, String text, String error, String notice, boolean stored) {
        return new PolicyPage(call.frame("Registry policy"), null, "Registry policy", text, error, notice, stored,
                AdminPaths.registryPolicy(), AdminPaths.deleteRegistryPolicy(), AdminPaths.settings(), "Settings",
                null);
    }

    // ---- lifecycle policy

    Reply lifecyclePolicy(ConsoleCall call) {
        RepoKey key = call.repository();
        Optional<StoredDocument> stored = stored(key, DocumentKind.LIFECYCLE_POLICY);
        String text = stored.map(d -> d.text()).orElse("");
        return Reply.page("policy.jte", lifecyclePage(call, text, null, notice(call), stored.isPresent(),
                previews.last(call)));
    }

    Reply putLifecyclePolicy(ConsoleCall call) throws Exception {
        RepoKey key = call.repository();
        String text = textArea(call, FIELD);
        Checked checked = checkLifecycle(text);
        if (checked.error() != null) {
            return refusedLifecycle(call, text, checked.error());
        }
        context.registry().repositories().putDocument(key, DocumentKind.LIFECYCLE_POLICY, checked.policy().json());
        return Reply.redirect(AdminPaths.lifecyclePolicy(key.name().value()) + "?saved=1");
    }

    /** Previews the editor's text, or the stored policy when the editor is empty; the text stays in the editor. */
    Reply previewLifecyclePolicy(ConsoleCall call) throws Exception {
        RepoKey key = call.repository();
        String text = textArea(call, FIELD);
        LifecyclePolicy draft = null;
        if (text != null && !text.isBlank()) {
            Checked checked = checkLifecycle(text);
            if (checked.error() != null) {
                return refusedLifecycle(call, text, checked.error());
            }
            draft = checked.policy();
        }
        LifecyclePreview preview;
        try {
            preview = context.registry().lifecycle().startPreview(key, draft);
        } catch (PolicyNotFoundException e) {
            return refusedLifecycle(call, "", "There is no stored lifecycle policy to preview: write one here first.");
        }
        String shown = draft != null ? text : preview.policyText();
        boolean stored = stored(key, DocumentKind.LIFECYCLE_POLICY).isPresent();
        return Reply.page("policy.jte", lifecyclePage(call, shown, null, null, stored,
                previews.view(key.name().value(), preview)));
    }

    Reply confirmDeleteLifecyclePolicy(ConsoleCall call) {
        String name = call.repository().name().value();
        return Reply.page("confirm.jte", new ConfirmPage(call.frame("Delete the lifecycle policy"),
                "Delete the lifecycle policy?", "This deletes the lifecycle policy of " + name
                + ": no image of it expires any more.", AdminPaths.deleteLifecyclePolicy(name),
                "Delete the policy", AdminPaths.lifecyclePolicy(name)));
    }

    Reply deleteLifecyclePolicy(ConsoleCall call) {
        RepoKey key = call.repository();
        context.registry().repositories().deleteDocument(key, DocumentKind.LIFECYCLE_POLICY);
        return Reply.redirect(AdminPaths.lifecyclePolicy(key.name().value()) + "?deleted=1");
    }

    private Reply refusedLifecycle(ConsoleCall call, String text, String error) {
        boolean stored = stored(call.repository(), DocumentKind.LIFECYCLE_POLICY).isPresent();
        return new Reply.Page(400, "policy.jte", lifecyclePage(call, text, error, null, stored, null));
    }

    private PolicyPage lifecyclePage(ConsoleCall call, String text, String error, String notice, boolean stored,
                                     PolicyPage.Preview preview) {
        RepoKey key = call.repository();
        String name = key.name().value();
        String evaluated = Format.time(context.registry().lifecycle().lastEvaluatedAt(key).orElse(null));
        return new PolicyPage(call.frame("Lifecycle policy · " + name), name, "Lifecycle policy", text, error, notice,
                stored, AdminPaths.lifecyclePolicy(name), AdminPaths.deleteLifecyclePolicy(name),
                ConsolePath.images(name), name, new PolicyPage.Lifecycle(evaluated, AdminPaths.lifecyclePreview(name), preview));
    }

    /** A lifecycle policy text parsed, or why the domain refuses it. */
    private record Checked(LifecyclePolicy policy, String error) {
    }

    private Checked checkLifecycle(String text) {
        String length = length(text, LifecyclePolicy.MIN_LENGTH, context.registry().quotas().maxLifecyclePolicyChars());
        if (length != null) {
            return new Checked(null, length);
        }
        try {
            return new Checked(LifecyclePolicy.parse(text), null);
        } catch (LifecyclePolicyException e) {
            return new Checked(null, e.getMessage());
        }
    }

    // ---- shared

    /**
     * A text area's text as the user wrote it: forms send every line break as CRLF (HTML's form encoding), which
     * the stored policy need not keep.
     */
    static String textArea(ConsoleCall call, String field) throws IOException {
        String text = call.form(field);
        return text == null ? null : text.replace("\r\n", "\n");
    }

    /** The limits the ECR operations check before parsing ({@code quotas}), in words; null: within them. */
    private static String length(String text, int min, int max) {
        if (text == null || text.isBlank()) {
            return "Enter a policy: the text is empty.";
        }
        if (text.length() < min) {
            return "The policy is too short: " + text.length() + " characters, at least " + min + " are needed.";
        }
        if (text.length() > max) {
            return "The policy is too long: " + text.length() + " characters, at most " + max + " are allowed.";
        }
        return null;
    }

    private Optional<StoredDocument> stored(RepoKey key, DocumentKind kind) {
        try {
            return Optional.of(context.registry().repositories().document(key, kind));
        } catch (PolicyNotFoundException e) {
            return Optional.empty();
        }
    }

    private static String notice(ConsoleCall call) {
        if (call.query("saved") != null) {
            return "Saved.";
        }
        return call.query("deleted") != null ? "Deleted." : null;
    }
}
