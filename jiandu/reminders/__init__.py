"""Reminders and the escalation ladder (提醒与督办阶梯): every watched deadline, the
messages that leave the browser (in-app, e-mail, group robots), the drafts of 提醒函 and
督办函, and who was reminded when. See README.md."""
