-- How many deliveries each webhook subscription has had answered with 2xx since it was created. Most deliveries are
-- now sent straight from the outbox and leave no row (docs/webhooks.md), so the count is kept here; it starts from the
-- DELIVERED rows there are.
ALTER TABLE webhook_subscription ADD COLUMN delivered_count BIGINT NOT NULL DEFAULT 0;
UPDATE webhook_subscription SET delivered_count = (SELECT COUNT(*) FROM webhook_delivery d
    WHERE d.subscription_id = webhook_subscription.id AND d.state = 'DELIVERED');
