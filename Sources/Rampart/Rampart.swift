/// Rampart: the in-app agent — configuration, per-request security context, blocking, events and transport.
