package io.wharf.server.app;

import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Stands in for the OCI handler: echoes the raw path; {@code /slow} takes a second. */
final class EchoApi extends Handler.Abstract {
    final CountDownLatch slowEntered = new CountDownLatch(1);
    volatile boolean ranOnVirtualThread;

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        ranOnVirtualThread = Thread.currentThread().isVirtual();
        String path = request.getHttpURI().getPath();
        if (path.equals("/slow")) {
            slowEntered.countDown();
            Thread.sleep(1000);
        }
        Content.Sink.write(response, true, "api " + path, callback);
        return true;
    }
}
