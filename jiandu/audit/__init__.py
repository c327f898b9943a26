"""The append-only audit trail. Write with `jiandu.audit.log.log(...)` inside the action's transaction."""
