"""The case register in and out: its columns (columns.py), the export in the reader's scope (export.py),
writing workbooks (workbook.py), reading (reader.py) and importing (importer.py) an existing register."""
