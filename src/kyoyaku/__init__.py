"""kyoyaku — 連携協約 (inter-municipal partnership agreements) as validated linked open data."""

__version__ = "0.1.0"
