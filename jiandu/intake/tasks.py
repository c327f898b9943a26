"""The worker's side of imports. It stands above actions: actions never import it, the
views hand a pending batch to `start` (and large uploads to the task directly)."""

from django.conf import settings
from django_tasks import task

from jiandu.intake.actions import NotPending, run_batch
from jiandu.intake.models import ImportBatch


@task()
def run_import_batch(batch_id: int) -> dict:
    """A large upload runs here, in the worker; the page polls the batch for progress."""
    batch = ImportBatch.objects.get(pk=batch_id)
    try:
        result = run_batch(batch)
    except NotPending:
        # Enqueued twice, or already ended: the run that claimed it reports it.
        return {"skipped": batch_id}
    return result.as_json() | {"errors": len(batch.errors)}


def start(batch: ImportBatch, request=None) -> None:
    """Run a pending batch's kept file (a resumed one): in the request up to
    INTAKE_INLINE_MAX_BYTES, larger files by the worker, as uploads do."""
    if batch.file.size > settings.INTAKE_INLINE_MAX_BYTES:
        run_import_batch.enqueue(batch.pk)
    else:
        run_batch(batch, request=request)
