"""The desk: Flask + Flask-Admin for Bawaslu handlers, oversight officers and BKPSDM officers.

Not built yet (issue "The desk"); it will expose `create_app()` and call casework for every rule.
"""
