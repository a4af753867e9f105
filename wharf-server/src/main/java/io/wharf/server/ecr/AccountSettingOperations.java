package io.wharf.server.ecr;

import static io.wharf.server.ecr.EcrOperation.registry;

import io.wharf.core.template.AccountSetting;
import io.wharf.core.template.TemplateService;
import java.util.List;

/**
 * Get/PutAccountSetting for the settings Wharf honours ({@link AccountSetting}); values it cannot honour are refused
 * with InvalidParameterException rather than stored and ignored.
 */
final class AccountSettingOperations {
    private final TemplateService templates;

    AccountSettingOperations(TemplateService templates) {
        this.templates = templates;
    }

    List<EcrOperation<?>> operations() {
        return List.of(
                registry("GetAccountSetting", GetRequest.class, this::get),
                registry("PutAccountSetting", PutRequest.class, this::put));
    }

    record GetRequest(String name) implements EcrRequest {
    }

    record PutRequest(String name, String value) implements EcrRequest {
    }

    record SettingResponse(String name, String value) {
    }

    private SettingResponse get(EcrCall call, GetRequest req) {
        AccountSetting setting = AccountSetting.named(Check.required("name", req.name()));
        return new SettingResponse(setting.name(), templates.setting(call.account(), setting));
    }

    private SettingResponse put(EcrCall call, PutRequest req) {
        AccountSetting setting = AccountSetting.named(Check.required("name", req.name()));
        String value = templates.putSetting(call.account(), setting, Check.required("value", req.value()));
        return new SettingResponse(setting.name(), value);
    }
}
