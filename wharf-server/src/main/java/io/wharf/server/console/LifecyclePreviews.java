package io.wharf.server.console;

import io.wharf.core.error.PolicyNotFoundException;
import io.wharf.core.lifecycle.ActionType;
import io.wharf.core.service.LifecyclePreview;
import io.wharf.core.service.RepoKey;

/**
 * Lifecycle previews as the policy page shows them. The domain evaluates a preview when it is started and stores
 * it (what Start/GetLifecyclePolicyPreview serve), so a preview is shown at once, with no job to wait for.
 */
final class LifecyclePreviews {
    static final String GET_PREVIEW = "ecr:GetLifecyclePolicyPreview";

    private final ConsoleContext context;

    LifecyclePreviews(ConsoleContext context) {
        this.context = context;
    }

    /** The last preview stored for the repository, when the caller may read it; null otherwise. */
    PolicyPage.Preview last(ConsoleCall call) {
        RepoKey key = call.repository();
        if (!call.allowed(GET_PREVIEW, key.name())) {
            return null;
        }
        try {
            return view(key.name().value(), context.registry().lifecycle().preview(key));
        } catch (PolicyNotFoundException e) {
            return null; // none was run yet
        }
    }

    PolicyPage.Preview view(String name, LifecyclePreview preview) {
        return new PolicyPage.Preview(Format.time(preview.evaluatedAt()), preview.count(ActionType.EXPIRE),
                preview.results().stream().map(r -> new PolicyPage.Row(r.digest(), Format.shortDigest(r.digest()),
                        ConsolePath.image(name, r.digest()), r.tags(), Format.time(r.pushedAt()), r.rulePriority(),
                        r.action().name())).toList());
    }
}
