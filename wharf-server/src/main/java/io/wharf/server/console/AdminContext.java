package io.wharf.server.console;

import io.wharf.core.identity.Identities;
import io.wharf.core.pullthrough.PullThroughService;
import io.wharf.core.replication.ReplicationService;
import io.wharf.server.auth.Auth;
import io.wharf.server.auth.IamAuth;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * The domain services the administration pages use beyond {@link ConsoleContext}'s: replication and pull-through
 * (the settings page) and the identities (users and access keys).
 *
 * @param pullThrough        the pull-through cache's rules; null: the cache is not served
 * @param identities         users and keys; null when authentication is off (then there are none to manage)
 * @param identitiesChanged  called after the console changed identities, so cached identity policies go at once
 */
record AdminContext(ReplicationService replication, PullThroughService pullThrough, Identities identities,
                    Runnable identitiesChanged) {

    /** The identities behind {@code auth} when it checks them ({@link IamAuth}). */
    static AdminContext of(ReplicationService replication, PullThroughService pullThrough, Auth auth) {
        if (auth instanceof IamAuth iam) {
            return new AdminContext(replication, pullThrough,
                    new Identities(iam.identityStore(), Clock.systemUTC(), new SecureRandom()), iam::identitiesChanged);
        }
        return new AdminContext(replication, pullThrough, null, () -> { });
    }
}
