package io.wharf.server.api;

import io.wharf.core.iam.Principal;
import io.wharf.server.auth.AuthException;
import io.wharf.server.http.Exchange;
import java.util.Map;

/**
 * One request to a route of Wharf's API, as its endpoint sees it: the exchange, the caller (anonymous on the gallery's
 * routes), the values of the route's placeholders ({@code name} for {@code {name}}, raw as in the path), and the check
 * that the caller may perform an action on a resource.
 */
record ApiCall(Exchange ex, Principal caller, Map<String, String> params, Authorizer authorizer) {
    /** Checks that the caller may perform the action on the resource. */
    @FunctionalInterface
    interface Authorizer {
        void allow(String action, String resourceArn) throws AuthException;
    }

    /** The value of the route's placeholder {@code {name}}; null if the route has none. */
    String param(String name) {
        return params.get(name);
    }

    void allow(String action, String resourceArn) throws AuthException {
        authorizer.allow(action, resourceArn);
    }
}
