from django_tasks import task


@task()
def run_import_batch(batch_id: int) -> dict:
    """A large upload runs here, in the worker; the page polls the batch for progress."""
    from jiandu.intake.actions import NotPending, run_batch
    from jiandu.intake.models import ImportBatch

    batch = ImportBatch.objects.get(pk=batch_id)
    try:
        result = run_batch(batch)
    except NotPending:
        # Enqueued twice, or already ended: the run that claimed it reports it.
        return {"skipped": batch_id}
    return result.as_json() | {"errors": len(batch.errors)}
