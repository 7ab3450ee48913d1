"""The Samenwerkingsscan without a database: its scales, a score distribution, the bar chart, the map's scores and the saved file.

The offline scan, the paper scan and the werkbladen (app/pages.py) use these modules, and so do
the live sessions and their results (app/sessions), which add only what needs the database.
"""
