import GRDB

extension HubMigrations {
    /// `v12 tickets, SLA clocks, follow-ups, surveys, notifications`.
    static func v12Tickets(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE ticket (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    subject TEXT NOT NULL,
                    -- inquiry, complaint, after_sales, marketing; NULL until assist or an agent says
                    type TEXT,
                    -- who set the type: 'assist', or the actor of an agent's choice (assist then leaves it)
                    type_set_by TEXT,
                    status TEXT NOT NULL DEFAULT 'new',
                    priority TEXT NOT NULL DEFAULT 'normal',
                    -- the requester as first recorded; reads go through customer.root_id
                    customer_id INTEGER NOT NULL REFERENCES customer(id),
                    assignee_id INTEGER REFERENCES agent(id),
                    team TEXT,
                    tags TEXT NOT NULL DEFAULT '[]',
                    fields TEXT NOT NULL DEFAULT '{}',
                    -- the channel the work came in on, which SLA policies may match
                    channel_id TEXT,
                    created_by TEXT NOT NULL,
                    created_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL,
                    solved_at DATETIME,
                    closed_at DATETIME,
                    merged_into INTEGER REFERENCES ticket(id),
                    follow_up_at DATETIME,
                    follow_up_note TEXT,
                    follow_up_by TEXT,
                    follow_up_fired_at DATETIME,
                    -- The SLA as last derived from ticket_fact: a summary for lists and filters.
                    sla_policy TEXT,
                    sla_dirty BOOLEAN NOT NULL DEFAULT 1,
                    sla_breached BOOLEAN NOT NULL DEFAULT 0,
                    sla_next_due_at DATETIME,
                    sla_next_warn_at DATETIME,
                    -- NULL, 'sent', 'answered' or 'unsent: <why>'
                    survey_state TEXT,
                    survey_sent_at DATETIME,
                    survey_conversation_id INTEGER,
                    csat_score INTEGER,
                    csat_comment TEXT,
                    csat_at DATETIME
                );
                CREATE INDEX ticket_activity ON ticket (updated_at DESC, id DESC);
                CREATE INDEX ticket_status ON ticket (status, updated_at DESC, id DESC);
                CREATE INDEX ticket_customer ON ticket (customer_id, status);
                CREATE INDEX ticket_assignee ON ticket (assignee_id, status, updated_at DESC);
                CREATE INDEX ticket_team ON ticket (team, status, updated_at DESC);
                CREATE INDEX ticket_sla_dirty ON ticket (id) WHERE sla_dirty = 1;
                CREATE INDEX ticket_sla_due ON ticket (sla_next_due_at) WHERE sla_next_due_at IS NOT NULL;
                CREATE INDEX ticket_breached ON ticket (updated_at DESC, id DESC) WHERE sla_breached = 1;
                CREATE INDEX ticket_due_soon ON ticket (sla_next_due_at, id) WHERE sla_breached = 0 AND status IN ('new', 'open');
                CREATE INDEX ticket_follow_up ON ticket (follow_up_at) WHERE follow_up_at IS NOT NULL AND follow_up_fired_at IS NULL;
                CREATE INDEX ticket_solved ON ticket (solved_at) WHERE status = 'solved';

                CREATE TABLE ticket_conversation (
                    ticket_id INTEGER NOT NULL REFERENCES ticket(id),
                    conversation_id INTEGER NOT NULL REFERENCES conversation(id),
                    linked_by TEXT NOT NULL,
                    linked_at DATETIME NOT NULL,
                    PRIMARY KEY (ticket_id, conversation_id)
                );
                CREATE INDEX ticket_conversation_by_conversation ON ticket_conversation (conversation_id, ticket_id);

                CREATE TABLE ticket_order (
                    ticket_id INTEGER NOT NULL REFERENCES ticket(id),
                    order_row_id INTEGER NOT NULL REFERENCES shop_order(id),
                    linked_by TEXT NOT NULL,
                    linked_at DATETIME NOT NULL,
                    PRIMARY KEY (ticket_id, order_row_id)
                );

                -- Who changed what, when: old value -> new value, JSON-encoded.
                CREATE TABLE ticket_history (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    ticket_id INTEGER NOT NULL REFERENCES ticket(id),
                    actor TEXT NOT NULL,
                    field TEXT NOT NULL,
                    old_value TEXT,
                    new_value TEXT,
                    at DATETIME NOT NULL
                );
                CREATE INDEX ticket_history_ticket ON ticket_history (ticket_id, id);

                -- What moves the SLA clocks (created, status, customer_message, agent_reply): the
                -- clocks are derived from these alone, so no timer is the truth.
                CREATE TABLE ticket_fact (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    ticket_id INTEGER NOT NULL REFERENCES ticket(id),
                    at DATETIME NOT NULL,
                    kind TEXT NOT NULL,
                    status TEXT
                );
                CREATE INDEX ticket_fact_ticket ON ticket_fact (ticket_id, id);

                -- Each target's derived state per cycle, and whether its warning and breach were raised
                -- (each once). alert_at is the next moment the SLA service must look at the row.
                CREATE TABLE ticket_sla (
                    ticket_id INTEGER NOT NULL REFERENCES ticket(id),
                    target TEXT NOT NULL,
                    cycle INTEGER NOT NULL,
                    state TEXT NOT NULL,
                    due_at DATETIME,
                    warn_at DATETIME,
                    met_at DATETIME,
                    started_at DATETIME NOT NULL,
                    -- business seconds left when derived; lists count down from due_at while it runs
                    remaining_seconds INTEGER NOT NULL,
                    warned_at DATETIME,
                    breached_at DATETIME,
                    alert_at DATETIME,
                    PRIMARY KEY (ticket_id, target, cycle)
                );
                CREATE INDEX ticket_sla_alert ON ticket_sla (alert_at) WHERE alert_at IS NOT NULL;

                CREATE TABLE notification (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    agent_id INTEGER NOT NULL REFERENCES agent(id),
                    kind TEXT NOT NULL,
                    ticket_id INTEGER,
                    text TEXT NOT NULL,
                    created_at DATETIME NOT NULL,
                    read_at DATETIME
                );
                CREATE INDEX notification_agent ON notification (agent_id, id);
                """)
    }
}
