"""Dialpad's events: the webhook receiver and what the console does with what it receives.

Dialpad signs each event it sends to the console's webhook (a JWT, HS256). The receiver
(`views`) verifies it, stores it as an `Event` row first and answers 200 at once; a Celery
task processes it (`services`):

- a **change-log event** names an object that changed: the console re-reads that object and
  writes it through the one mirror writer (orgs.mirror), with a History entry naming the
  change-log action and who made it. Bursts for one object are folded into one read (a
  `RefreshTarget` row per object, claimed atomically);
- an **SMS event** becomes an `SmsEvent` row (messages sent and received, delivery status),
  for messaging to link to its own sent messages (`services.sms_events_for`);
- anything else is stored and shown, never dropped.

A periodic sweep processes whatever a lost task left behind (broker down, worker killed).
Setting up the webhook and the subscriptions in Dialpad: `manage.py dialpad_webhooks ensure`
or the admin's *Dialpad webhook* page (`services.setup`).
"""
