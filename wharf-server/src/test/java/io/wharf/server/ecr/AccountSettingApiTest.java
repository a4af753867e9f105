package io.wharf.server.ecr;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.oci.Fixtures;
import io.wharf.server.oci.TestRegistry;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.EcrClient;

/** Get/PutAccountSetting: Wharf's defaults, the values it honours, clear refusals, and BLOB_MOUNTING taking effect. */
class AccountSettingApiTest extends EcrTest {

    @Test
    void defaultsAreWhatWharfDoes() throws Exception {
        try (TestRegistry own = new TestRegistry(); EcrClient client = client(own)) {
            assertThat(client.getAccountSetting(b -> b.name("BLOB_MOUNTING")).value()).isEqualTo("ENABLED");
            assertThat(client.getAccountSetting(b -> b.name("BASIC_SCAN_TYPE_VERSION")).value()).isEqualTo("AWS_NATIVE");
            assertThat(client.getAccountSetting(b -> b.name("REGISTRY_POLICY_SCOPE")).value()).isEqualTo("V2");
        }
    }

    @Test
    void putStoresHonouredValuesAndRefusesOthersClearly() throws Exception {
        try (TestRegistry own = new TestRegistry(); EcrClient client = client(own)) {
            var put = client.putAccountSetting(b -> b.name("BLOB_MOUNTING").value("DISABLED"));
            assertThat(put.name()).isEqualTo("BLOB_MOUNTING");
            assertThat(put.value()).isEqualTo("DISABLED");
            assertThat(client.getAccountSetting(b -> b.name("BLOB_MOUNTING")).value()).isEqualTo("DISABLED");
            assertThat(client.putAccountSetting(b -> b.name("REGISTRY_POLICY_SCOPE").value("V2")).value()).isEqualTo("V2");

            var v1 = raw(own, "PutAccountSetting", "{\"name\":\"REGISTRY_POLICY_SCOPE\",\"value\":\"V1\"}");
            assertThat(v1.statusCode()).isEqualTo(400);
            assertThat(body(v1)).contains("InvalidParameterException").contains("Wharf does not support REGISTRY_POLICY_SCOPE V1");
            var clair = raw(own, "PutAccountSetting", "{\"name\":\"BASIC_SCAN_TYPE_VERSION\",\"value\":\"CLAIR\"}");
            assertThat(body(clair)).contains("InvalidParameterException").contains("CLAIR");
            var unknown = raw(own, "GetAccountSetting", "{\"name\":\"SOMETHING_ELSE\"}");
            assertThat(unknown.statusCode()).isEqualTo(400);
            assertThat(body(unknown)).contains("InvalidParameterException").contains("BLOB_MOUNTING");
            var missing = raw(own, "PutAccountSetting", "{\"name\":\"BLOB_MOUNTING\"}");
            assertThat(missing.statusCode()).isEqualTo(400);
            assertThat(client.getAccountSetting(b -> b.name("REGISTRY_POLICY_SCOPE")).value()).isEqualTo("V2");
        }
    }

    @Test
    void blobMountingDisabledTurnsAMountIntoAPlainUpload() throws Exception {
        try (TestRegistry own = new TestRegistry(); EcrClient client = client(own)) {
            byte[] blob = Fixtures.randomBytes(64);
            Fixtures.pushBlob(own, "source/app", blob);
            String mount = "/v2/target/app/blobs/uploads/?mount=" + Fixtures.digest(blob) + "&from=source/app";
            assertThat(own.send("POST", mount, null).statusCode()).as("mounted").isEqualTo(201);

            client.putAccountSetting(b -> b.name("BLOB_MOUNTING").value("DISABLED"));
            String other = "/v2/third/app/blobs/uploads/?mount=" + Fixtures.digest(blob) + "&from=source/app";
            var res = own.send("POST", other, null);
            assertThat(res.statusCode()).as("an upload session instead").isEqualTo(202);
            assertThat(own.send("HEAD", "/v2/third/app/blobs/" + Fixtures.digest(blob), null).statusCode()).isEqualTo(404);

            client.putAccountSetting(b -> b.name("BLOB_MOUNTING").value("ENABLED"));
            assertThat(own.send("POST", other, null).statusCode()).isEqualTo(201);
        }
    }
}
