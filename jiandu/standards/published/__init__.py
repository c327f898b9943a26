"""Published 裁量基准 and lenient lists read as the issuing bodies published them.

`bands` parses a band phrase (处二万元以上五万元以下罚款), `numerals` reads Chinese and Arabic
amounts, `readers` turns .xls/.xlsx/.docx/.pdf into rows, `layout` walks the rows into items
and tiers, `lenient` reads 不予处罚 lists. Nothing here touches the database.
"""
