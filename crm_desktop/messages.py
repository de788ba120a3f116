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
    "account_locked": ("该帐号已被锁定，请联系系统管理员。", "This account is locked. Ask your administrator."),
    "account_resigned": ("该帐号已离职，不能登录系统。", "This account has resigned and cannot log in."),
    "account_retired": ("该帐号已退休，不能登录系统。", "This account has retired and cannot log in."),
    "account_expired": ("该帐号已过有效期，不能登录系统。", "This account has expired and cannot log in."),
    "account_deleted": ("该帐号已被删除。", "This account has been deleted."),
    "account_ukey_required": ("该帐号需要插入 UKey 才能登录。", "This account can only log in with its UKey."),
    "not_a_crm_account": ("该用户不是 CRM 帐号。", "This user is not a CRM account."),
    "server_unreachable": ("无法连接数据库服务器 {server}，请检查网络或服务器是否已启动。",
                           "Cannot reach the database server {server}. Check the network and that the server runs."),
    "connection_lost": ("与数据库服务器的连接已断开，请重试。", "The connection to the database server was lost. Try again."),
    "login_required": ("请输入帐号。", "Enter your login."),
    # permissions
    "permission_denied": ("您没有此操作的权限（{detail}）。", "You are not allowed to do this ({detail})."),
    "insufficient_privilege": ("您没有此操作的权限。", "You are not allowed to do this."),
    "audit_log_append_only": ("审计日志不能修改或删除。", "The audit log cannot be changed or deleted."),
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
}

# SQLSTATE → key, for errors that carry no constraint name of ours
_SQLSTATE_KEYS = {
    "42501": "insufficient_privilege",
    "23502": "not_null_violation",
    "23505": "unique_violation",
    "23503": "foreign_key_violation",
    "23514": "check_violation",
    "08000": "connection_lost", "08003": "connection_lost", "08006": "connection_lost",
    "57P01": "connection_lost",
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
            params = {"detail": permission_name(detail)} if candidate == "permission_denied" else {}
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
    return UserError(key, **params)
