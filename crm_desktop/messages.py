"""The one message catalogue: every error a user can meet, keyed by constraint or error name.

Database functions and triggers raise with ``constraint = '<key>'``; ordinary constraints carry
their own names.  ``translate_error`` turns any exception into a sentence from here, so no raw
SQLSTATE or traceback ever reaches a dialog.  Chinese is the default language, English the second.
Placeholders are ``{name}``.
"""

from __future__ import annotations

_LANGUAGE = "zh_CN"

CATALOGUE: dict[str, tuple[str, str]] = {
    # login
    "wrong_password": ("帐号或密码错误。", "Wrong login or password."),
    "account_ukey_required": ("该帐号需要插入 UKey 才能登录。", "This account can only log in with its UKey."),
    "account_disabled": ("该帐号已停用（锁定、离职、退休或已删除），请联系系统管理员。",
                         "This account is disabled (locked, resigned, retired or deleted). Ask your administrator."),
    "not_a_crm_account": ("该用户不是 CRM 帐号。", "This user is not a CRM account."),
    "server_unreachable": ("无法连接数据库服务器 {server}，请检查网络或服务器是否已启动。",
                           "Cannot reach the database server {server}. Check the network and that the server runs."),
    "server_certificate_changed": (
        "服务器 {server} 的证书与本机信任的证书不同，可能有人冒充服务器，已拒绝连接。\n原指纹：{old}\n新指纹：{new}\n"
        "如管理员确实更换了证书，请核对新指纹后运行 crm-desktop --forget-server 删除旧的信任记录。",
        "The certificate of server {server} is not the one this PC trusts: another machine may be posing as "
        "the server, so nothing was sent.\nTrusted: {old}\nNow: {new}\nIf the administrator did replace "
        "the certificate, compare the new fingerprint and run crm-desktop --forget-server to drop the old one."),
    "server_without_tls": ("服务器 {server} 未使用加密连接（TLS），为防止有人冒充服务器，已拒绝连接。",
                           "Server {server} offers no encrypted connection (TLS); refused, as another machine "
                           "could pose as it."),
    "server_not_trusted": ("未信任该服务器，没有连接。", "The server was not trusted; nothing was sent."),
    "server_channel_binding": ("服务器 {server} 未使用 SCRAM 密码验证，无法绑定加密通道，已拒绝连接。",
                               "Server {server} does not use SCRAM passwords, so the encrypted channel cannot "
                               "be bound; refused."),
    "connection_lost": ("与数据库服务器的连接已断开，请重试。", "The connection to the database server was lost. Try again."),
    "login_required": ("请输入帐号。", "Enter your login."),
    # permissions
    "permission_denied": ("您没有此操作的权限（{detail}）。", "You are not allowed to do this ({detail})."),
    "insufficient_privilege": ("您没有此操作的权限。", "You are not allowed to do this."),
    "audit_log_append_only": ("审计日志不能修改或删除。", "The audit log cannot be changed or deleted."),
    # sessions and locks
    "lock_not_available": ("其他用户正在修改这些数据，请稍后重试。",
                           "Someone else is changing this data. Try again in a moment."),
    "query_canceled": ("操作用时过长，已被服务器取消。", "This took too long and the server cancelled it."),
    "idle_in_transaction_timeout": ("连接空闲过久，已被服务器断开，请重试。",
                                    "The connection was idle too long and the server closed it. Try again."),
    "session_not_found": ("该会话已结束。", "This session has already ended."),
    "session_protected": ("系统会话和您自己的会话不能在这里结束。",
                          "System sessions and your own session cannot be ended here."),
    # organisation
    "organization_name_unique": ("机构名称已存在，不能重名。", "An organisation with this name already exists."),
    "organization_name_required": ("请输入机构名称。", "Enter the organisation's name."),
    "department_one_top_per_organization": ("每个机构只能建立一个顶级部门。",
                                            "An organisation has only one top department."),
    "department_name_unique_in_parent": ("同一上级部门下已有同名部门。",
                                         "The parent department already has a department with this name."),
    "department_name_required": ("请输入部门名称。", "Enter the department's name."),
    "department_parent_other_organization": ("上级部门必须属于同一机构。",
                                             "The parent department must belong to the same organisation."),
    "department_parent_cycle": ("不能把部门移到它自己的下级部门下面。",
                                "A department cannot be moved under one of its own sub-departments."),
    "department_not_own_parent": ("部门不能是自己的上级部门。", "A department cannot be its own parent."),
    "department_organization_fixed": ("部门的所属机构不能更改。", "A department cannot move to another organisation."),
    "department_parent_required": ("请选择上级部门。", "Choose the parent department."),
    "position_name_required": ("请输入职位名称。", "Enter the position's name."),
    "position_name_unique_in_department": ("该部门已有同名职位。", "The department already has a position with this name."),
    "position_superior_cycle": ("上级职位不能形成循环。", "Superior positions cannot form a loop."),
    "position_not_own_superior": ("职位不能是自己的上级职位。", "A position cannot be its own superior."),
    "position_manager_taken": ("该管理职位已有人担任。", "Someone already holds this manager position."),
    "in_use": ("该记录仍被其他数据使用，不能删除。", "This record is still in use and cannot be deleted."),
    # accounts
    "account_login_unique": ("帐号已存在，不能重名。", "This login already exists."),
    "account_login_format": ("帐号须以字母开头，只能包含字母、数字和 _ . @ -，最长 60 个字符。",
                             "A login starts with a letter and holds only letters, digits and _ . @ - (60 at most)."),
    "account_login_reserved": ("该帐号名为系统保留，请换一个。", "This login is reserved by the system."),
    "account_name_required": ("请输入姓名。", "Enter the person's name."),
    "account_email_format": ("电子邮件格式不正确。", "The e-mail address is not valid."),
    "account_quota_positive": ("容量不能为负数。", "Quotas cannot be negative."),
    "account_delete_is_soft": ("帐号不能彻底删除，只能移入已删除人员。",
                               "Accounts are never erased, only moved to deleted accounts."),
    "account_position_one_main": ("每个帐号只能有一个主要职位。", "An account has only one main position."),
    "account_not_found": ("找不到该帐号。", "The account was not found."),
    "password_mismatch": ("两次输入的密码不一致。", "The two passwords differ."),
    "password_too_short": ("密码至少需要 {min} 个字符。", "A password needs at least {min} characters."),
    "password_not_a_verifier": ("密码格式无效。", "The password could not be set."),
    "role_name_required": ("请输入角色名称。", "Enter the role's name."),
    "role_name_unique": ("已有同名的权限角色。", "A role with this name already exists."),
    "role_builtin_kept": ("系统默认角色不能删除。", "The default roles cannot be deleted."),
    "role_other_organization": ("该角色属于其他机构，不能分配给此帐号。",
                                "This role belongs to another organisation and cannot be given to this account."),
    # numbering
    "numbering_rule_missing": ("编号规则不存在。", "The numbering rule does not exist."),
    "numbering_rule_digits_range": ("流水号位数须在 1 到 12 之间。", "The sequence needs 1 to 12 digits."),
    "numbering_rule_prefix_format": ("编号前缀只能是最多 10 个字母或数字。", "A prefix is at most 10 letters or digits."),
    "numbering_rule_date_format_valid": ("日期格式无效。", "The date format is not valid."),
    "numbering_rule_separator_format": ("分隔符只能是 - _ . / 或空。", "The separator is one of - _ . / or none."),
    "number_manual_not_allowed": ("该编号规则不允许手工填写编号，请留空，保存时自动编号。",
                                  "This numbering rule does not allow typed numbers. Leave it empty: it is numbered on saving."),
    "number_reserved_by_rule": ("手工编号不能与编号规则自动生成的编号格式相同，请换一个编号或留空。",
                                "A typed number may not look like the numbers the rule makes. Choose another or leave it empty."),
    "number_required": ("编号不能为空。", "The number cannot be empty."),
    # generic
    "stale_row": ("保存失败：该记录已被 {actor} 修改过。请查看最新内容后再保存。",
                  "Not saved: {actor} changed this record meanwhile. Review the latest version and save again."),
    "row_deleted": ("该记录已被其他人删除。", "Someone else deleted this record."),
    "required_field": ("请填写“{field}”。", "Fill in “{field}”."),
    "not_null_violation": ("有必填项没有填写。", "A required field is empty."),
    "unique_violation": ("该值已存在，不能重复。", "This value already exists."),
    "foreign_key_violation": ("该记录仍被其他数据使用，或引用的记录不存在。",
                              "The record is in use, or refers to a record that does not exist."),
    "check_violation": ("输入的数据不符合规则。", "The data breaks a rule."),
    "unexpected": ("操作失败：{detail}", "The operation failed: {detail}"),
    "concurrent_change": ("其他人同时修改了相同的数据，本次操作未保存，请重试。",
                          "Someone else changed the same data at the same time. Nothing was saved; try again."),
    # customers (0003_customers … 0003c_customer_actions)
    "customer_private_limit_exceeded": (
        "{name}的私有客户已达上限：上限 {limit} 个，现有 {count} 个，不能再增加 {adding} 个。",
        "{name} would exceed the private customer limit: limit {limit}, owns {count}, adding {adding}."),
    "customer_not_editable": ("您可以查看该客户，但不能修改、删除、共享或分派它。",
                              "You may see this customer but not change, delete, share or assign it."),
    "customer_selection_empty": ("请先选择客户。", "Select customers first."),
    # who owns and sees what (0014_visibility_and_authorship)
    "customer_owner_is_creator": ("新建的客户只能归自己所有；要交给别人，请保存后用“客户资源分派”。",
                                  "A new customer is yours; to give it to someone else, save it and assign it."),
    "customer_owner_changes_by_assignment": (
        "客户的所属人只能通过“客户资源分派”变更；没有所属人的公共客户也不能直接改为私有客户。",
        "A customer's owner changes only by assignment; an unowned public customer cannot simply be made private."),
    "customer_private_department_is_owners": ("私有客户属于所属人当前的主部门，不能归到其他部门。",
                                              "A private customer belongs to its owner's current main department."),
    "contact_plan_follower_cannot_see": ("联系计划的执行人看不到该客户，请先共享或分派给他。",
                                         "The follower cannot see this customer; share or assign it to them first."),
    "position_manager_one_holder": ("管理职位只能由一人担任：该职位已有多名人员，不能设为管理职位。",
                                    "A manager position has one holder: this position has several."),
    "customer_receiver_inactive": ("接收人必须是在职且未锁定的帐号。", "The receiver must be an active, unlocked account."),
    "customer_name_required": ("请输入客户名称。", "Enter the customer's name."),
    "customer_kind_valid": ("客户性质只能是个人或企业。", "A customer is an individual or a company."),
    "customer_private_needs_owner": ("私有客户必须有所属人。", "A private customer needs an owner."),
    "customer_number_unique": ("客户编号已存在。", "This customer number already exists."),
    "customer_email_format": ("客户的电子邮件格式不正确。", "The customer's e-mail address is not valid."),
    "customer_duplicate_warning": ("已有同名或同电话的客户：{names}。仍然保存吗？",
                                   "Customers with the same name or phone exist: {names}. Save anyway?"),
    "contact_name_required": ("请输入联系人姓名。", "Enter the contact's name."),
    "contact_email_format": ("联系人的电子邮件格式不正确。", "The contact's e-mail address is not valid."),
    "region_name_required": ("请输入地区名称（不能包含“.”）。", "Enter the region's name (without “.”)."),
    "region_path_unique": ("该地区已存在。", "This region already exists."),
    "region_parent_cycle": ("不能把地区移到它自己的下级地区下面。", "A region cannot move under one of its own sub-regions."),
    "customer_type_name_unique": ("已有同名的客户类型。", "A customer type with this name already exists."),
    "customer_category_name_unique": ("已有同名的客户类别。", "A customer category with this name already exists."),
    "customer_source_name_unique": ("已有同名的客户来源。", "A customer source with this name already exists."),
    "industry_name_unique": ("已有同名的行业。", "An industry with this name already exists."),
    "management_scope_one_target": ("管理层次权限须指定一个机构或一个部门。", "A scope names one organisation or one department."),
    "management_scope_unique": ("该管理层次权限已存在。", "This scope is already granted."),
    "private_customer_limit_not_negative": ("私有客户上限不能为负数。", "The private customer limit cannot be negative."),
    "customer_import_unknown_value": ("“{column}”中的“{value}”不存在，请先在基础信息中添加。",
                                      "“{value}” in “{column}” does not exist; add it to the base settings first."),
    "customer_import_bad_format": ("“{column}”的格式不正确：{value}", "“{column}” is not valid: {value}"),
    "customer_import_duplicate": ("已有客户（编号 {number}）使用“{value}”。", "Customer {number} already uses “{value}”."),
    "customer_import_private_limit": ("超出私有客户上限：上限 {limit} 个，现有 {count} 个，本文件有 {adding} 个私有客户。",
                                      "Over the private customer limit: limit {limit}, owned {count}, this file adds {adding}."),
    # Excel import (excel/importer.py, shared by every module)
    "import_file_unreadable": ("无法读取文件“{name}”：文件已损坏，或不是 Excel 工作簿。",
                               "Cannot read “{name}”: the file is damaged or not an Excel workbook."),
    "import_file_encrypted": ("文件“{name}”设置了打开密码，请在 Excel 中取消密码后再导入。",
                              "“{name}” is protected by a password. Remove the password in Excel and import again."),
    "import_file_empty": ("文件“{name}”是空的，没有任何内容。", "“{name}” is empty."),
    "import_file_not_excel": ("文件“{name}”不是 Excel 文件（.xlsx）。CSV 或文本文件请先在 Excel 中另存为 .xlsx。",
                              "“{name}” is not an Excel file (.xlsx). Save CSV or text files as .xlsx in Excel first."),
    "import_file_xls_unsupported": ("文件“{name}”是旧版 Excel 格式（.xls），请在 Excel 中另存为 .xlsx 后再导入。",
                                    "“{name}” is an old Excel file (.xls). Save it as .xlsx in Excel and import again."),
    "import_missing_columns": ("文件缺少必需的列：{columns}。请下载导入模板，按模板的列填写。",
                               "The file lacks required columns: {columns}. Download the template and use its columns."),
    "import_no_rows": ("文件“{name}”中没有数据行。", "“{name}” has no data rows."),
    "import_nothing_valid": ("没有可以导入的有效数据。", "There are no valid rows to import."),
    "import_columns_ignored": ("以下列不属于模板，已忽略：{columns}。", "These columns are not in the template and were ignored: {columns}."),
    "import_example_row_skipped": ("第 {row} 行与模板的示例行相同，已跳过。", "Row {row} is the template's example and was skipped."),
    "import_required_empty": ("“{column}”为必填项，不能为空。", "“{column}” is required."),
    "import_text_too_long": ("“{column}”最多 {max} 个字符。", "“{column}” holds at most {max} characters."),
    "import_number_invalid": ("“{column}”应为不小于 0 的数字，“{value}”无效。", "“{column}” must be a number (0 or more); “{value}” is not."),
    "import_integer_invalid": ("“{column}”应为整数，“{value}”无效。", "“{column}” must be a whole number; “{value}” is not."),
    "import_date_invalid": ("“{column}”应为日期（如 2013-03-08），“{value}”无效。",
                            "“{column}” must be a date (e.g. 2013-03-08); “{value}” is not."),
    "import_choice_invalid": ("“{column}”只能是：{choices}；“{value}”无效。", "“{column}” must be one of: {choices}; “{value}” is not."),
    "import_empty_read_as_zero": ("“{column}”未填写，按 0 导入。", "“{column}” is empty and was read as 0."),
    "import_invalid_read_as_zero": ("“{column}”的值“{value}”不是数字，按 0 导入。", "“{column}”: “{value}” is not a number and was read as 0."),
    "import_invalid_read_as_default": ("“{column}”的值“{value}”无效，按“{default}”导入。",
                                       "“{column}”: “{value}” is not valid and was read as “{default}”."),
    "import_duplicate_in_database": ("“{column}”的值“{value}”在系统中已存在。", "“{column}” “{value}” already exists."),
    "import_template_file_name": ("{title}导入模板.xlsx", "{title} import template.xlsx"),
    "import_template_notes_sheet": ("说明", "Notes"),
    "import_template_rules_title": ("{title}导入说明", "How to fill in the {title} import"),
    "import_template_columns": ("列名|必填|填写说明|可选值|示例", "Column|Required|Rule|Choices|Example"),
    "import_template_choose": ("请从下拉列表中选择。", "Choose from the list."),
    "import_report_row": ("原行号", "Row"),
    "import_report_errors": ("错误", "Errors"),
    "import_report_file_name": ("{title}导入错误.xlsx", "{title} import errors.xlsx"),
    "import_cancelled": ("导入已取消，没有写入任何数据。", "The import was cancelled; nothing was written."),
    "import_done": ("已导入 {count} 条记录。", "{count} records were imported."),
    "word_yes": ("是", "Yes"),
    "word_no": ("否", "No"),
    # products (0004_products)
    "product_category_unknown": ("产品类别“{value}”不存在，请先在产品基础信息中建立。",
                                 "Product category “{value}” does not exist; add it in the product base settings first."),
    "product_category_ambiguous": ("有多个产品类别名为“{value}”，请填写完整路径，如“{example}”。",
                                   "Several categories are named “{value}”; write the full path, e.g. “{example}”."),
    "product_unit_unknown": ("单位“{value}”不存在，请先在单位换算中建立。", "Unit “{value}” does not exist; add it under units first."),
    "product_type_unknown": ("产品类型“{value}”不存在。", "Product type “{value}” does not exist."),
    "product_number_unique": ("产品编号已存在，不能重复。", "This product number already exists."),
    "product_name_required": ("请输入产品名称。", "Enter the product's name."),
    "product_category_required": ("请选择产品类别。", "Choose the product category."),
    "product_unit_required": ("请选择标准单位。", "Choose the base unit."),
    "product_serial_mode_valid": ("SN 管理模式无效。", "The serial tracking mode is not valid."),
    "product_price_nonnegative": ("价格不能为负数。", "Prices cannot be negative."),
    "product_basis_valid": ("周期的计算依据无效。", "The basis of a cycle is not valid."),
    "product_interval_nonnegative": ("周期天数不能为负数。", "Cycle days cannot be negative."),
    "product_custom_fields_object": ("自定义字段的数据格式无效。", "The custom fields are malformed."),
    "product_custom_field_required": ("有必填的自定义字段没有填写。", "A required custom field is empty."),
    "product_custom_field_invalid": ("自定义字段的值与字段类型不符（文本、数字、日期或选项）。",
                                     "A custom field's value does not fit its kind (text, number, date or choice)."),
    "product_custom_field_name_unique": ("已有同名的自定义字段。", "A custom field with this name already exists."),
    "product_custom_field_name_required": ("请输入字段名称。", "Enter the field's name."),
    "product_custom_field_kind_valid": ("字段类型只能是文本、数字、日期或选项。", "A field is text, number, date or choice."),
    "product_custom_field_choices_needed": ("选项类型的字段至少需要一个选项。", "A choice field needs at least one choice."),
    "product_category_name_required": ("请输入类别名称（不能包含“/”）。", "Enter the category's name (without “/”)."),
    "product_category_name_unique_in_parent": ("同一上级类别下已有同名类别。", "The parent category already has one with this name."),
    "product_category_code_unique": ("类别编号已存在，不能重复。", "This category code already exists."),
    "product_category_code_format": ("类别编号只能是 1 到 10 个字母或数字（它会成为产品编号的一部分）。",
                                     "A category code is 1 to 10 letters or digits (it becomes part of product numbers)."),
    "product_category_parent_cycle": ("不能把类别移到它自己的下级类别下面。", "A category cannot move under one of its own sub-categories."),
    "product_category_not_own_parent": ("类别不能是自己的上级类别。", "A category cannot be its own parent."),
    "product_type_name_unique": ("已有同名的产品类型。", "A product type with this name already exists."),
    "product_type_name_required": ("请输入产品类型名称。", "Enter the product type's name."),
    "unit_name_unique": ("已有同名的单位。", "A unit with this name already exists."),
    "unit_name_required": ("请输入单位名称。", "Enter the unit's name."),
    "unit_conversion_factor_positive": ("换算数量必须大于 0。", "A conversion factor must be greater than 0."),
    "unit_conversion_not_self": ("单位不能换算成它自己。", "A unit cannot convert into itself."),
    "unit_conversion_unique": ("这两个单位之间已有换算关系。", "These two units already have a conversion."),
    "unit_conversion_missing": ("这两个单位之间没有设置换算关系。", "There is no conversion between these units."),
    "product_picture_too_large": ("图片不能超过 2 MB。", "A picture can be at most 2 MB."),
    "product_picture_type_valid": ("图片只能是 PNG、JPEG、GIF 或 BMP 格式。", "A picture must be PNG, JPEG, GIF or BMP."),
    "product_picture_unreadable": ("无法读取该图片文件。", "The picture file cannot be read."),
    "product_due_basis_invalid": ("日期依据只能是销售、出库、入库或生产日期。", "The date must be of a sale, outbound, inbound or production."),
    "price_history_kind_valid": ("价格类别只能是销售或采购。", "A price is a sale or a purchase price."),
    "product_import_rule_required": ("其中产品类别、产品编码、产品名称、标准单位列为必填项，产品编码不能重复（文件内和系统中都不能重复）。",
                                     "Category, product code, name and base unit are required; product codes may not repeat (in the file or in the system)."),
    "product_import_rule_category": ("产品类别为产品所属的类别，请确保每一个产品类别名称都是存在并且是唯一的；重名的类别请填写完整路径，如“电子产品/电脑/笔记本”。",
                                     "The category must exist and be unique; for categories with the same name write the full path, e.g. “电子产品/电脑/笔记本”."),
    "product_import_rule_monitored": ("重点监控值为：是或否，如不录入或录入有误则为非重点监控，即值为否。",
                                      "Monitored is 是 or 否; empty or anything else means 否."),
    "product_import_rule_prices": ("标准销售价格、标准采购价格值为数字类型（可带“元”“¥”和千位分隔符），如果不录入则值为零；不是数字的行不导入。",
                                   "List sale and purchase prices are numbers (元, ¥ and thousands separators are fine); empty means zero, and a row whose price is not a number is not imported."),
    # UKey (0005_ukey, services/ukey.py, crm_desktop/ukey)
    "ukey_pyscard_missing": ("未安装 UKey 支持。请运行：pip install 'crm-desktop[ukey]'（Linux 请先运行 apt-get install pcscd libpcsclite-dev swig）。",
                             "UKey support is not installed. Run: pip install 'crm-desktop[ukey]' (on Linux first: apt-get install pcscd libpcsclite-dev swig)."),
    "ukey_no_reader": ("找不到读卡器。请检查 UKey 驱动和智能卡服务（pcscd）是否已启动。",
                       "No card reader found. Check the UKey driver and that the smart-card service (pcscd) runs."),
    "ukey_no_card": ("读卡器中没有 UKey，请插入该帐号的 UKey。", "There is no UKey in the reader. Insert this account's UKey."),
    "ukey_wrong_card": ("插入的 UKey 不是该帐号绑定的 UKey。", "The inserted UKey is not the one bound to this account."),
    "ukey_or_password_wrong": ("帐号、密码或 UKey 不正确。", "Wrong login, password or UKey."),
    "ukey_pin_required": ("请输入 UKey 的 PIN 码。", "Enter the UKey's PIN."),
    "ukey_wrong_pin": ("UKey 的 PIN 码错误，还可以再试 {tries_left} 次。", "Wrong UKey PIN: {tries_left} tries left."),
    "ukey_wrong_pin_no_count": ("UKey 的 PIN 码错误。", "Wrong UKey PIN."),
    "ukey_card_blocked": ("UKey 的 PIN 码已被锁死（错误次数过多），请联系系统管理员解锁或更换 UKey。",
                          "The UKey's PIN is blocked (too many wrong tries). Ask your administrator to unblock or replace it."),
    "ukey_card_error": ("读取 UKey 失败（{sw}），请拔出后重新插入。", "The UKey could not be read ({sw}). Pull it out and insert it again."),
    "ukey_card_id_invalid": ("UKey 标识无效。", "The UKey's identity is not valid."),
    "account_ukey_bound": ("UKey 标记与绑定的 UKey 不一致。", "The UKey flag and the bound UKey disagree."),
    "account_ukey_needs_binding": ("UKey 只能通过“绑定 UKey”和“解除绑定”来设置或取消。",
                                   "UKey is set and cleared only by binding and unbinding a key."),
    "account_ukey_login_fixed": ("已绑定 UKey 的帐号不能改名，请先解除 UKey 绑定。",
                                 "An account bound to a UKey keeps its login. Unbind the UKey first."),
    "account_ukey_password_needs_key": ("该帐号已绑定 UKey，密码只能在绑定 UKey 时设置。",
                                        "This account is bound to a UKey: its password is set only when binding the key."),
    "ukey_unenforceable": ("此数据库服务器无法强制 UKey 登录（数据库结构不是由超级用户安装的），因此不能绑定 UKey。",
                           "This database server cannot enforce UKey logins (its schema was not installed by a superuser), so UKeys cannot be bound here."),
    # account management (0017_account_management)
    "account_holds_more_permissions": ("该帐号拥有您没有的权限，您不能修改它（密码、锁定、状态、有效期、帐号名、删除、UKey、职位或角色）。",
                                       "This account holds permissions you do not have: you cannot change it (password, lock, status, expiry, login, deletion, UKey, positions or roles)."),
    "grant_exceeds_own_permissions": ("您不能授予自己没有的权限（{detail}）。",
                                      "You cannot grant a permission you do not hold yourself ({detail})."),
    "position_exceeds_own_reach": ("这项职位或部门变动会让帐号领导您自己不领导的部门，或让您看到更多客户；只有系统管理员可以这样做。",
                                   "This change of positions or departments would make an account lead a department you do not lead, or let you see more customers; only an administrator may do this."),
    # backup, restore and standby (crm_desktop/admin/backup.py, standby.py; 0020_backups)
    "backup_needs_superuser": ("备份和恢复需要数据库超级用户的连接（登录角色的密码校验值只有超级用户能读写）。",
                               "Backup and restore need a database superuser connection (only a superuser can read and write the login roles' password verifiers)."),
    "backup_not_a_crm_database": ("该数据库不是 CRM 数据库（没有 crm.account 表），无法备份。",
                                  "This database is not a CRM database (it has no crm.account table): nothing to back up."),
    "backup_tool_failed": ("PostgreSQL 工具 {program} 执行失败：{detail}",
                           "The PostgreSQL tool {program} failed: {detail}"),
    "backup_file_missing": ("找不到备份文件 {file}。", "The backup file {file} does not exist."),
    "backup_file_unreadable": ("{file} 不是 CRM 备份文件，或文件已损坏。",
                               "{file} is not a CRM backup file, or it is damaged."),
    "backup_file_too_new": ("备份文件 {file} 由更新版本的程序写成，请先升级本程序。",
                            "The backup file {file} was written by a newer version of this program: upgrade first."),
    "standby_data_not_empty": ("文件夹 {folder} 中已有数据库，备用服务器需要一个新的空文件夹。",
                               "The folder {folder} already holds a database: a standby needs a new, empty folder."),
    "standby_from_standby": ("给出的服务器本身是备用服务器，请连接主服务器。",
                             "That server is itself a standby: give the primary's address."),
    "standby_not_a_standby": ("文件夹 {folder} 中的服务器不是备用服务器，无需提升。",
                              "The server in {folder} is not a standby: there is nothing to promote."),
    "restore_target_not_empty": ("目标服务器不是空的（已有{what}），恢复只能在空服务器上进行，现有数据不会被覆盖。",
                                 "The target server is not empty (it already has {what}): a restore goes only onto an empty server, and nothing there is overwritten."),
    # printing (0024_printing, services/print_settings.py, crm_desktop/printing)
    "print_letterhead_missing": ("读不到公司抬头设置（帐号没有任何角色？）。", "The letterhead cannot be read (does the account have no role?)."),
    "print_letterhead_logo_type": ("标志图片只能是 PNG 或 JPEG 格式。", "The logo must be a PNG or JPEG picture."),
    "print_letterhead_logo_too_large": ("标志图片不能超过 1 MB。", "The logo can be at most 1 MB."),
    "print_letterhead_logo_unreadable": ("无法读取该图片文件。", "The picture file cannot be read."),
    "print_letterhead_text_length": ("抬头内容过长（名称最多 200 字，地址最多 500 字）。",
                                     "The letterhead text is too long (name at most 200, address at most 500 characters)."),
    "print_letterhead_single": ("公司抬头只有一份。", "There is only one letterhead."),
    "print_template_kind_valid": ("单据类型只能是报价单、销售订单或合同。", "A template is for quotes, sales orders or contracts."),
    "print_template_columns_valid": ("只能隐藏产品编号、类别、类型、规格型号、单价、折扣、折后金额和备注列。",
                                     "Only the code, category, type, spec, unit price, discount, discounted amount and note columns can be hidden."),
    "print_template_text_length": ("标题最多 100 字，页脚最多 1000 字。", "The title can be at most 100 and the footer at most 1,000 characters."),
    "print_failed": ("单据 {number} 无法打印：{detail}", "Document {number} cannot be printed: {detail}"),
    "print_no_printer": ("没有可用的打印机。", "No printer is available."),
    "print_file_unwritable": ("无法写入文件 {path}：{detail}", "Cannot write the file {path}: {detail}"),
    # -- the shell: main window, my account (issue 14) --
    "current_password_wrong": ("当前密码不正确。", "The current password is wrong."),
    # approval flows (0022_approval, definitions/approval.sql) and quotes (0023_quotes)
    "approval_type_unknown": ("未知的单据类型。", "Unknown document type."),
    "approval_state_by_engine": ("审核状态、审核人和审核时间只能通过提交审批、同意、驳回和撤回改变，新单据只能是草稿。",
                                 "The approval state, approver and time change only by submitting, approving, rejecting "
                                 "and withdrawing; a new document is always a draft."),
    "approval_document_frozen": ("单据正在审批中或已审核，内容不能再修改或删除。",
                                 "The document is in approval or approved: its content can no longer be changed or deleted."),
    "approval_submit_not_allowed": ("您不能提交这张单据审批（只有经手人、其上级和管理员可以）。",
                                    "You may not submit this document (only its handler, their leaders and administrators may)."),
    "approval_document_missing": ("单据不存在或您无权查看。", "The document does not exist or you may not see it."),
    "approval_already_submitted": ("单据已经提交审批或已审核。", "The document is already in approval or approved."),
    "approval_flow_unknown": ("所选审批流程不存在或已停用。", "The chosen approval flow does not exist or is inactive."),
    "approval_flow_condition_not_met": ("所选审批流程的条件不适用于这张单据。",
                                        "The chosen approval flow's conditions do not apply to this document."),
    "approval_flow_required": ("这类单据必须经过审批流程，但没有适用的流程，请联系管理员设置。",
                               "Documents of this type need an approval flow and none applies; ask your administrator."),
    "approval_not_your_task": ("这不是您的审批任务。", "This is not your approval task."),
    "approval_own_document": ("不能审批自己提交或经手的单据。", "No one approves a document they submitted or handle."),
    "approval_task_not_active": ("这个审批任务已处理或不在当前步骤。", "This task is already decided or not in the active step."),
    "approval_already_decided": ("您已经在这一步做出了决定。", "You have already decided this step."),
    "approval_document_changed": ("单据内容在提交后被改动过，不能审批。", "The document changed after it was submitted: it cannot be approved."),
    "approval_reason_required": ("请填写原因。", "Give a reason."),
    "approval_withdraw_not_submitter": ("只有提交人可以撤回审批。", "Only the submitter can withdraw."),
    "approval_withdraw_too_late": ("已经有人审批过，不能撤回。", "Someone has already acted: it can no longer be withdrawn."),
    "approval_approver_inactive": ("该人员已停用，不能审批。", "This account is disabled and cannot approve."),
    "approval_already_approver": ("该人员已经是这一步的审批人。", "This account already approves this step."),
    "approval_delegate_invalid": ("代理人必须是另一位在职人员。", "The delegate must be another active account."),
    "approval_delegation_dates": ("请填写正确的代理起止日期。", "Give a valid date range for the delegation."),
    "approval_delegation_not_yours": ("只能结束自己的代理设置。", "You can only end your own delegation."),
    "approval_flow_needs_steps": ("审批流程至少要有一个步骤。", "A flow needs at least one step."),
    "approval_condition_invalid": ("流程条件无效：{detail}", "Invalid flow condition: {detail}"),
    "approval_history_append_only": ("审批记录不能修改或删除。", "The approval history cannot be changed or deleted."),
    "approval_flow_name_unique": ("同类单据已有同名的审批流程。", "This document type already has a flow of that name."),
    "approval_flow_step_approvers_named": ("请为审批步骤选择审批人。", "Choose the approvers of the step."),
    "approval_flow_step_k_valid": ("“n 人中 k 人”必须填写 k（至少 1）。", "k of n needs k (at least 1)."),
    "quote_needs_lines": ("报价单至少要有一行产品明细。", "A quote needs at least one product line."),
    "quote_not_editable": ("您不能修改这张报价单（只有报价人、其上级和管理员可以）。",
                           "You may not change this quote (only its handler, their leaders and administrators may)."),
    "quote_handler_not_allowed": ("报价人只能是您自己或您的下属。", "The handler can only be you or someone you lead."),
    "quote_customer_not_visible": ("只能为您能看到的客户报价。", "You can only quote for customers you can see."),
    "quote_contact_of_customer": ("联系人必须是该客户的联系人。", "The contact must be one of the customer's contacts."),
    "quote_valid_after_quoted": ("有效期不能早于报价时间。", "The validity date cannot be before the quote date."),
    "quote_discount_range": ("折扣率必须大于 0 且不超过 100%。", "The discount rate must be above 0 and at most 100 %."),
    "quote_line_quantity_positive": ("数量必须大于 0。", "The quantity must be above 0."),
    "quote_line_price_nonnegative": ("单价不能为负数。", "The unit price cannot be negative."),
    "quote_line_discount_range": ("行折扣率必须大于 0 且不超过 100%。", "A line's discount rate must be above 0 and at most 100 %."),
    "quote_customer_fk": ("该客户还有报价单，不能删除。", "The customer has quotes and cannot be deleted."),
    "quote_contact_fk": ("该联系人用在报价单上，不能删除。", "The contact is used on quotes and cannot be deleted."),
    "quote_number_unique": ("报价单号已被使用。", "This quote number is already taken."),
    "quote_expired": ("报价单已过有效期，不能转为销售订单。", "The quote has expired and cannot become a sales order."),
    "quote_not_approved": ("只有已审核的报价单可以转为销售订单。", "Only an approved quote can become a sales order."),
    # proof: writes refused with an error (issue 17)
    "account_gender_valid": ("性别只能是男或女。", "Gender is male or female."),
    "account_status_valid": ("人员状态只能是在职、离职或退休。", "The status is active, resigned or retired."),
    "contact_plan_not_changeable": ("您不是该联系计划的执行人，也不能修改该客户，因此不能修改这条联系计划。",
                                    "You are not this contact plan's follower and may not change its customer, so you cannot change the plan."),
    # follow-up: contact plans and records, reminders, the agent (0025_followup, services/followup)
    "contact_not_of_customer": ("所选联系人不属于该客户。", "The chosen contact person does not belong to this customer."),
    "contact_plan_not_of_customer": ("该联系计划不属于这个客户。", "This contact plan is not one of this customer's."),
    "contact_plan_already_done": ("该联系计划已经执行过了。", "This contact plan has already been carried out."),
    "contact_plan_not_yours": ("只有跟进人或能修改该客户的人可以执行这个联系计划。",
                               "Only the follower, or someone who may change the customer, can carry out this plan."),
    "contact_record_subject_required": ("请填写联系主题。", "Enter the subject of the contact."),
    "contact_record_way_valid": ("联系方式无效。", "Unknown way of contact."),
    "contact_plan_way_valid": ("联系方式无效。", "Unknown way of contact."),
    "contact_plan_remind_minutes_valid": ("提前提醒时间须在 0 到 30 天之间。",
                                          "The reminder lead time must be between 0 minutes and 30 days."),
    "contact_plan_time_required": ("请填写计划联系时间。", "Enter when the contact is planned."),
    "reminder_setting_port_valid": ("端口须在 1 到 65535 之间。", "The port must be between 1 and 65535."),
    "reminder_setting_attempts_valid": ("重试次数须在 1 到 50 之间。", "Attempts must be between 1 and 50."),
    "reminder_setting_retry_valid": ("重试间隔须在 1 秒到 1 天之间。", "The retry interval must be between 1 second and 1 day."),
    "reminder_setting_security_valid": ("加密方式无效。", "Unknown encryption setting."),
    "reminder_recipient_missing": ("跟进人的档案里没有{channel}，无法发送提醒。",
                                   "The follower's record has no {channel}: the reminder cannot be sent."),
    "contact_record_not_editable": ("只有记录人或能修改该客户的人可以修改这条联系记录。",
                                    "Only its writer, or someone who may change the customer, can change this contact record."),
    "opportunity_not_editable": ("只有负责人、创建人或能修改该客户的人可以修改这个销售机会。",
                                 "Only the owner, the author or someone who may change the customer can change this opportunity."),
    "opportunity_owner_cannot_see": ("负责人看不到该客户，不能负责这个销售机会。",
                                     "The owner cannot see this customer, so cannot own the opportunity."),
    "opportunity_lost_needs_reason": ("失败的销售机会需要填写失败原因。", "A lost opportunity needs a reason."),
    "opportunity_amount_valid": ("预计金额不能为负数。", "The expected amount cannot be negative."),
    "opportunity_probability_valid": ("成功可能性须在 0% 到 100% 之间。", "The probability must be between 0% and 100%."),
    "opportunity_dates_valid": ("结束时间不能早于开始时间。", "The end date cannot be before the start date."),
    "opportunity_stage_won_or_lost": ("一个销售阶段不能既是成功又是失败。", "A stage cannot be both won and lost."),
    "opportunity_stage_name_unique": ("已有同名的销售阶段。", "A stage of that name exists already."),
    "reminder_not_configured": ("{channel}提醒尚未设置（系统管理 → 邮件短信提醒设置）。",
                                "{channel} reminders are not set up yet (System → E-mail and SMS reminders)."),
    # Excel import and export, field validators (excel/, validators.py, 0021_import_checks)
    "field_phone_invalid": ("“{column}”不是有效的电话号码：{value}。请填写如 020-88886666 或 (021)58889999。",
                            "“{column}” is not a phone number: {value}. Write it as 020-88886666 or (021)58889999."),
    "field_phone_lost_zero": ("“{column}”的号码“{value}”缺少区号前的 0（单元格被当作数字，开头的 0 已丢失）。请把该列设为文本格式，填写 {fixed}。",
                              "“{column}” “{value}” lacks its area code's 0 (the cell was read as a number, which drops leading zeros). Format the column as text and write {fixed}."),
    "field_mobile_invalid": ("“{column}”不是有效的手机号码：{value}。手机号码为 11 位数字，如 13800138000。",
                             "“{column}” is not a mobile number: {value}. A mobile number has 11 digits, e.g. 13800138000."),
    "field_email_invalid": ("“{column}”不是有效的电子邮件地址：{value}。", "“{column}” is not an e-mail address: {value}."),
    "field_postcode_invalid": ("“{column}”应为 6 位数字的邮政编码：{value}。", "“{column}” must be a six-digit postcode: {value}."),
    "field_postcode_lost_zero": ("“{column}”的邮编“{value}”少于 6 位（单元格被当作数字，开头的 0 已丢失）。请把该列设为文本格式，填写 {fixed}。",
                                 "“{column}” “{value}” has fewer than six digits (the cell was read as a number, which drops leading zeros). Format the column as text and write {fixed}."),
    "field_amount_invalid": ("“{column}”应为数字（如 8999 或 8,999.00 元），“{value}”不是数字。",
                             "“{column}” must be a number (e.g. 8999 or 8,999.00); “{value}” is not."),
    "field_amount_negative": ("“{column}”不能为负数：{value}。", "“{column}” cannot be negative: {value}."),
    "field_amount_too_small": ("“{column}”不能小于 {minimum}：{value}。", "“{column}” cannot be less than {minimum}: {value}."),
    "field_amount_too_large": ("“{column}”的整数部分最多 {digits} 位：{value}。", "“{column}” has at most {digits} digits before the point: {value}."),
    "field_date_invalid": ("“{column}”应为日期（如 2013-03-08），“{value}”无效。",
                           "“{column}” must be a date (e.g. 2013-03-08); “{value}” is not."),
    "import_number_rounded": ("“{column}”的值“{value}”超过 {places} 位小数，已四舍五入。",
                              "“{column}” “{value}” has more than {places} decimals and was rounded."),
    "import_number_precision_lost": ("“{column}”的值“{value}”是数字格式，超过 15 位的部分已被 Excel 改变（如身份证号的末几位）。请把该列设为文本格式后重新填写。",
                                     "“{column}” “{value}” is a number: Excel keeps 15 digits and has changed the rest (e.g. an ID number's last digits). Format the column as text and type it again."),
    "import_number_in_text_column": ("“{column}”的“{value}”是数字格式的单元格：如果原来开头有 0（如 000777），已被表格程序去掉。请核对；该列应设为文本格式。",
                                     "“{column}” “{value}” is a number cell: a leading 0 (as in 000777) would have been dropped by the spreadsheet. Check it; the column should be formatted as text."),
    "import_text_invisible": ("“{column}”只含不可见字符（如零宽空格）。", "“{column}” holds only invisible characters (such as a zero-width space)."),
    "import_text_control_characters": ("“{column}”含有控制字符，请删除后再导入。", "“{column}” holds control characters; remove them and import again."),
    "import_duplicate_headers": ("文件中有两列都是“{first}”：{first_column} 列“{first}”和 {second_column} 列“{second}”。请删除或改名其中一列。",
                                 "Two columns of the file are “{first}”: column {first_column} “{first}” and column {second_column} “{second}”. Delete or rename one of them."),
    "import_hidden_columns_ignored": ("以下隐藏的列没有导入：{columns}。", "These hidden columns were not imported: {columns}."),
    "import_hidden_rows_read": ("文件中有 {count} 个隐藏（或被筛选掉）的行，也将导入，已标为黄色。",
                                "{count} hidden (or filtered-out) rows will be imported too; they are marked yellow."),
    "import_row_hidden": ("此行在 Excel 中被隐藏或被筛选掉，仍将导入。", "This row is hidden or filtered out in Excel; it will be imported."),
    "import_file_ods_unsupported": ("文件“{name}”是 OpenDocument 表格（.ods，LibreOffice 或 WPS 的格式），不是 Excel 工作簿。请在 LibreOffice 中选择“另存为”，文件类型选“Excel 2007-365 (.xlsx)”，再导入。",
                                    "“{name}” is an OpenDocument spreadsheet (.ods), not an Excel workbook. In LibreOffice choose Save As, type “Excel 2007-365 (.xlsx)”, and import that file."),
    "import_file_et_unsupported": ("文件“{name}”是 WPS 表格格式（.et）。请在 WPS 中选择“另存为”，文件类型选“Excel 文件 (*.xlsx)”，再导入。",
                                   "“{name}” is a WPS spreadsheet (.et). In WPS choose Save As, type “Excel (*.xlsx)”, and import that file."),
    "import_file_xlsb_unsupported": ("文件“{name}”是 Excel 二进制工作簿（.xlsb）。请在 Excel 中选择“另存为”，文件类型选“Excel 工作簿 (*.xlsx)”，再导入。",
                                     "“{name}” is an Excel binary workbook (.xlsb). In Excel choose Save As, type “Excel Workbook (*.xlsx)”, and import that file."),
    "import_file_too_large_unpacked": ("文件“{name}”解压后超过 {limit} MB，超出导入的上限。请把数据分成几个文件分别导入。",
                                       "“{name}” unpacks to more than {limit} MB, beyond what an import reads. Split the data into several files."),
    "import_needs_permission": ("您没有“{permission}”权限，不能导入。请联系系统管理员。",
                                "You lack the permission “{permission}” and cannot import. Ask your administrator."),
    "import_duplicate_in_file": ("“{column}”的值“{value}”与第 {row} 行重复，只导入第 {row} 行。",
                                "“{column}” “{value}” repeats row {row}; only row {row} is imported."),
    "customer_in_archive": ("客户档案中已有“{value}”（{what}），跟进人：{owner}。请与跟进人联系，不要重复建档。",
                            "The archive already holds “{value}” ({what}), followed by {owner}. Talk to them instead of adding it again."),
    "customer_in_archive_hidden_owner": ("客户档案中已有“{value}”（{what}）。请与主管联系，不要重复建档。",
                                         "The archive already holds “{value}” ({what}). Ask your manager instead of adding it again."),
    "customer_in_archive_name": ("同名客户", "same name"),
    "customer_in_archive_phone": ("同一电话", "same phone"),
    "customer_in_archive_public": ("无（公共客户）", "nobody (a public customer)"),
    "customer_phone_format": ("电话号码格式不正确。", "The phone number is not valid."),
    "customer_fax_format": ("传真号码格式不正确。", "The fax number is not valid."),
    "customer_mobile_format": ("手机号码格式不正确（11 位数字）。", "The mobile number is not valid (11 digits)."),
    "customer_postcode_format": ("邮编格式不正确（6 位数字）。", "The postcode is not valid (six digits)."),
    "contact_phone_format": ("联系人的电话号码格式不正确。", "The contact's phone number is not valid."),
    "contact_mobile_format": ("联系人的手机号码格式不正确（11 位数字）。", "The contact's mobile number is not valid (11 digits)."),
    "query_canceled_by_user": ("操作已取消，没有写入任何数据。", "Cancelled; nothing was written."),
    # error keys: approval flows and quote lines refused by their CHECK / UNIQUE constraints (test_error_keys)
    "approval_flow_name_required": ("请填写审批流程名称。", "Enter the flow's name."),
    "approval_flow_version_match_valid": ("流程条件只能是“全部满足”或“任一满足”。",
                                          "A flow's conditions apply when all or any of them hold."),
    "approval_flow_step_name_required": ("请填写审批步骤名称。", "Enter the step's name."),
    "approval_flow_step_kind_valid": ("审批人只能按人员、角色、职位或上级指定。",
                                      "Approvers are named as accounts, roles, positions or leaders."),
    "approval_flow_step_mode_valid": ("审批方式只能是或签、会签或“n 人中 k 人”。",
                                      "A step is decided by any one, all, or k of n approvers."),
    "approval_flow_step_levels_valid": ("上级层数必须在 1 到 10 之间。", "The leader levels must be between 1 and 10."),
    "quote_line_no_unique": ("报价单明细的行号重复。", "Two lines of the quote have the same line number."),
    # follow-up rules added at merge
    "contact_record_one_per_plan": ("这项联系计划已有联系记录，一项计划只能执行一次。",
                                    "This contact plan already has a contact record: a plan is carried out once."),
    "opportunity_importance_valid": ("重要程度只能是 低、普通 或 高。", "The importance must be low, normal or high."),
    "opportunity_stage_name_required": ("请填写销售阶段的名称。", "Give the sales stage a name."),
    "opportunity_stage_probability_valid": ("成功可能性须在 0 到 100 之间。", "The probability must be between 0 and 100."),
    "opportunity_status_valid": ("状态只能是 跟进中、成功、失败 或 搁置。", "The status must be open, won, lost or on hold."),
    "reminder_delivery_status_valid": ("提醒的发送状态只能是 待发送、已发送 或 失败。",
                                       "A reminder's delivery state must be pending, sent or failed."),
    "contact_plan_executed": ("这项联系计划已执行（有联系记录），不能恢复为未执行；请新建一项联系计划。",
                              "This contact plan has been carried out (it has a contact record) and cannot be reopened: make a new plan."),
}

# SQLSTATE → key, for errors that carry no constraint name of ours
_SQLSTATE_KEYS = {
    "42501": "insufficient_privilege",
    "23502": "not_null_violation",
    "23505": "unique_violation",
    "23503": "foreign_key_violation",
    "23001": "in_use",
    "23514": "check_violation",
    "08000": "connection_lost", "08003": "connection_lost", "08006": "connection_lost",
    "57P01": "connection_lost",
    "55P03": "lock_not_available",
    "57014": "query_canceled",
    "25P03": "idle_in_transaction_timeout",
    "40001": "concurrent_change", "40P01": "concurrent_change",
}


def set_language(language: str) -> None:
    global _LANGUAGE
    _LANGUAGE = "en" if language.startswith("en") else "zh_CN"


def language() -> str:
    return _LANGUAGE


def text(key: str, **params: object) -> str:
    zh, en = CATALOGUE.get(key, CATALOGUE["unexpected"])
    template = en if _LANGUAGE == "en" else zh
    params.setdefault("detail", key)
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


class UserError(Exception):
    """An error with a catalogue key: what the user sees is ``str(error)``."""

    def __init__(self, key: str, **params: object):
        self.key = key
        self.params = params
        super().__init__(text(key, **params))


def _key_for_database_error(exc: BaseException) -> tuple[str, dict]:
    diag = getattr(exc, "diag", None)
    sqlstate = getattr(exc, "sqlstate", None)
    constraint = getattr(diag, "constraint_name", None) if diag else None
    primary = getattr(diag, "message_primary", None) if diag else None
    detail = getattr(diag, "message_detail", None) if diag else None
    for candidate in (constraint, primary):
        if candidate in CATALOGUE:
            params = ({"detail": permission_name(detail)}
                      if candidate in ("permission_denied", "grant_exceeds_own_permissions") else {})
            return candidate, params
    if sqlstate == "23503" and primary and "still referenced" in primary:
        return "in_use", {}
    if sqlstate in _SQLSTATE_KEYS:
        return _SQLSTATE_KEYS[sqlstate], {}
    return "unexpected", {"detail": primary or str(exc).splitlines()[0] if str(exc) else type(exc).__name__}


def permission_name(code: str | None) -> str:
    """The permission's readable name; filled in by services.role when the catalogue is loaded."""
    if not code:
        return ""
    names = PERMISSION_NAMES.get(code)
    if not names:
        return code
    return names[1] if _LANGUAGE == "en" else names[0]


PERMISSION_NAMES: dict[str, tuple[str, str]] = {}


def translate_error(exc: BaseException) -> UserError:
    """Any exception from a service call as a UserError with a sentence from the catalogue."""
    if isinstance(exc, UserError):
        return exc
    original = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps the driver's error
    key, params = _key_for_database_error(original)
    if key == "unexpected" and original is not exc and getattr(exc, "connection_invalidated", False):
        key = "connection_lost"
    if key == "unexpected" and type(original).__name__ == "OperationalError" and getattr(original, "sqlstate", None) is None:
        key = "connection_lost"  # no server took the connection (the primary died, its standby not yet promoted)
    return UserError(key, **params)
