from django_tasks import task


@task()
def run_import_batch(batch_id: int) -> dict:
    """A large upload runs here, in the worker; the page polls the batch for progress."""
    from jiandu.intake.actions import run_batch
    from jiandu.intake.models import ImportBatch

    batch = ImportBatch.objects.get(pk=batch_id)
    return run_batch(batch).as_json() | {"errors": len(batch.errors)}
