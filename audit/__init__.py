"""The WCAG 2.1 AA conformance record: `python -m audit` runs the tests each criterion names and
writes docs/accessibility.md (`make accessibility`)."""
