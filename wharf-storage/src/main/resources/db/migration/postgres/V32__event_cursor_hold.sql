-- A cluster node's hold on a subscriber's cursor (EventLog.holdCursor): only the holder hands that subscriber its
-- events until held_until (epoch ms), so two nodes do not both send one batch of webhooks. Null: nobody holds it.
ALTER TABLE event_cursor ADD COLUMN holder TEXT COLLATE "C", ADD COLUMN held_until BIGINT;
