"""Evaluate transactions read as JSON lines from stdin; print each decision as a JSON line.

A long-running evaluator (the way a channel gateway process would hold the compiled rule set),
used to show that a publication in another process changes the next answer without restart:

    echo '{"transaction_code": "CASH_WITHDRAWAL", "channel": "counter",
           "elements": {"amount": {"amount": "60000.00", "currency": "CNY"}}}' |
        python manage.py authorization_evaluate_stream
"""

import json
import sys

from django.core.management.base import BaseCommand

from authorization.api.serializers import decision_body
from authorization.services import TransactionInput, evaluate
from bankcore.errors import DomainError


class Command(BaseCommand):
    help = "Evaluate JSON-line transactions from stdin and print JSON-line decisions."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-record", action="store_true", help="Do not record the transactions."
        )

    def handle(self, *args, **options):
        for line in sys.stdin:
            if not line.strip():
                continue
            payload = json.loads(line)
            try:
                evaluation = evaluate(
                    transaction=TransactionInput(
                        transaction_code=payload["transaction_code"],
                        channel=payload["channel"],
                        elements=payload.get("elements", {}),
                        branch_code=payload.get("branch_code", ""),
                        teller=payload.get("teller", ""),
                    ),
                    record=not options["no_record"],
                )
                body = decision_body(evaluation.decision, reference=evaluation.reference)
            except DomainError as exc:
                body = {"error": {"code": exc.code, "message": exc.message, "fields": exc.fields}}
            self.stdout.write(json.dumps(body))
            self.stdout.flush()
