from . import energy_kpi_report
