<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>AccountFields</name>
    <message>
      <source>Male</source>
      <translation>男</translation>
    </message>
    <message>
      <source>Female</source>
      <translation>女</translation>
    </message>
    <message>
      <source>Active</source>
      <translation>在职</translation>
    </message>
    <message>
      <source>Resigned</source>
      <translation>离职</translation>
    </message>
    <message>
      <source>Retired</source>
      <translation>退休</translation>
    </message>
    <message>
      <source>UKey</source>
      <translation>UKey</translation>
    </message>
    <message>
      <source>Locked</source>
      <translation>已锁定</translation>
    </message>
    <message>
      <source>Choose…</source>
      <translation>选择…</translation>
    </message>
    <message>
      <source>Password:</source>
      <translation>密码：</translation>
    </message>
    <message>
      <source>Confirm password:</source>
      <translation>确认密码：</translation>
    </message>
    <message>
      <source>Login:</source>
      <translation>帐号：</translation>
    </message>
    <message>
      <source>Name:</source>
      <translation>姓名：</translation>
    </message>
    <message>
      <source>Gender:</source>
      <translation>性别：</translation>
    </message>
    <message>
      <source>Number:</source>
      <translation>编号：</translation>
    </message>
    <message>
      <source>Mobile:</source>
      <translation>手机：</translation>
    </message>
    <message>
      <source>E-mail:</source>
      <translation>电子邮件：</translation>
    </message>
    <message>
      <source>Office phone:</source>
      <translation>办公电话：</translation>
    </message>
    <message>
      <source>Home phone:</source>
      <translation>家庭电话：</translation>
    </message>
    <message>
      <source>Internal mail &amp; folders:</source>
      <translation>内部邮件 &amp; 文件夹：</translation>
    </message>
    <message>
      <source>E-mail quota:</source>
      <translation>电子邮件：</translation>
    </message>
    <message>
      <source>(blank: no limit)</source>
      <translation>（不勾选则不限制有效期）</translation>
    </message>
    <message>
      <source>Valid until:</source>
      <translation>有效期至：</translation>
    </message>
    <message>
      <source>Status:</source>
      <translation>状态：</translation>
    </message>
    <message>
      <source>Positions:</source>
      <translation>分配职位：</translation>
    </message>
    <message>
      <source>Roles:</source>
      <translation>关联角色：</translation>
    </message>
    <message>
      <source>Login</source>
      <translation>帐号</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <source>Gender</source>
      <translation>性别</translation>
    </message>
    <message>
      <source>Number</source>
      <translation>编号</translation>
    </message>
    <message>
      <source>Mobile</source>
      <translation>手机</translation>
    </message>
    <message>
      <source>E-mail</source>
      <translation>电子邮件</translation>
    </message>
    <message>
      <source>Office phone</source>
      <translation>办公电话</translation>
    </message>
    <message>
      <source>Home phone</source>
      <translation>家庭电话</translation>
    </message>
    <message>
      <source>Internal mail &amp; folders</source>
      <translation>内部邮件 &amp; 文件夹</translation>
    </message>
    <message>
      <source>E-mail quota</source>
      <translation>电子邮件容量</translation>
    </message>
    <message>
      <source>Valid until</source>
      <translation>有效期至</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Deleted</source>
      <translation>删除时间</translation>
    </message>
  </context>
  <context>
    <name>AccountFilterBar</name>
    <message>
      <source>--Select--</source>
      <translation>--请选择--</translation>
    </message>
    <message>
      <source>Direct only</source>
      <translation>仅直属</translation>
    </message>
    <message>
      <source>Active</source>
      <translation>在职</translation>
    </message>
    <message>
      <source>Resigned</source>
      <translation>离职</translation>
    </message>
    <message>
      <source>Retired</source>
      <translation>退休</translation>
    </message>
    <message>
      <source>No position</source>
      <translation>未分配职位</translation>
    </message>
    <message>
      <source>No role</source>
      <translation>未分配角色</translation>
    </message>
    <message>
      <source>Yes</source>
      <translation>是</translation>
    </message>
    <message>
      <source>No</source>
      <translation>否</translation>
    </message>
    <message>
      <source>name or login</source>
      <translation>姓名或帐号</translation>
    </message>
    <message>
      <source>Search</source>
      <translation>查询</translation>
    </message>
    <message>
      <source>Organisation:</source>
      <translation>机构：</translation>
    </message>
    <message>
      <source>Department:</source>
      <translation>部门：</translation>
    </message>
    <message>
      <source>Position:</source>
      <translation>职位：</translation>
    </message>
    <message>
      <source>Status:</source>
      <translation>状态：</translation>
    </message>
    <message>
      <source>Locked:</source>
      <translation>已锁定：</translation>
    </message>
    <message>
      <source>Name/login:</source>
      <translation>姓名/帐号：</translation>
    </message>
  </context>
  <context>
    <name>AccountForm</name>
    <message>
      <source>New account</source>
      <translation>新增人员帐号</translation>
    </message>
    <message>
      <source>Account: %1</source>
      <translation>人员帐号：%1</translation>
    </message>
    <message>
      <source>Password:</source>
      <translation>密码：</translation>
    </message>
    <message>
      <source>Confirm password:</source>
      <translation>确认密码：</translation>
    </message>
    <message>
      <source>leave blank to keep</source>
      <translation>不修改请留空</translation>
    </message>
    <message>
      <source>Login</source>
      <translation>帐号</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <source>Password</source>
      <translation>密码</translation>
    </message>
  </context>
  <context>
    <name>AccountPanel</name>
    <message>
      <source>Welcome, %1</source>
      <translation>欢迎您，%1</translation>
    </message>
    <message>
      <source>No main position yet</source>
      <translation>尚未分配主要职位</translation>
    </message>
    <message>
      <source>All (administrator)</source>
      <translation>全部权限（系统管理员）</translation>
    </message>
    <message>
      <source>%1 permission(s)</source>
      <translation>%1 项权限</translation>
    </message>
    <message>
      <source>Login</source>
      <translation>帐号</translation>
    </message>
    <message>
      <source>Roles</source>
      <translation>权限角色</translation>
    </message>
    <message>
      <source>None</source>
      <translation>无</translation>
    </message>
    <message>
      <source>Permissions</source>
      <translation>权限</translation>
    </message>
    <message>
      <source>Server</source>
      <translation>服务器</translation>
    </message>
  </context>
  <context>
    <name>AccountPicker</name>
    <message>
      <source>Name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <source>Login</source>
      <translation>帐号</translation>
    </message>
    <message>
      <source>Department</source>
      <translation>部门</translation>
    </message>
  </context>
  <context>
    <name>AccountsScreen</name>
    <message>
      <source>Accounts</source>
      <translation>人员帐号</translation>
    </message>
    <message>
      <source>New</source>
      <translation>新增</translation>
    </message>
    <message>
      <source>Assign position</source>
      <translation>分配职位</translation>
    </message>
    <message>
      <source>Export</source>
      <translation>导出</translation>
    </message>
    <message>
      <source>Deleted accounts</source>
      <translation>已删除人员</translation>
    </message>
    <message>
      <source>Lock</source>
      <translation>锁定</translation>
    </message>
    <message>
      <source>Unlock</source>
      <translation>解锁</translation>
    </message>
    <message>
      <source>Active</source>
      <translation>在职</translation>
    </message>
    <message>
      <source>Resigned</source>
      <translation>离职</translation>
    </message>
    <message>
      <source>Retired</source>
      <translation>退休</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Delete</source>
      <translation>删除</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>Select one or more accounts first.</source>
      <translation>请先选择一个或多个帐号。</translation>
    </message>
    <message numerus="yes">
      <source>Move %n account(s) to the deleted accounts?</source>
      <translation>
        <numerusform />
      </translation>
    </message>
    <message>
      <source>Export accounts</source>
      <translation>导出人员帐号</translation>
    </message>
    <message>
      <source>accounts</source>
      <translation>人员帐号</translation>
    </message>
    <message>
      <source>Excel workbook (*.xlsx)</source>
      <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
      <source>Exporting accounts…</source>
      <translation>正在导出人员帐号…</translation>
    </message>
  </context>
  <context>
    <name>AdminSetupDialog</name>
    <message>
      <source>Create the administrator</source>
      <translation>创建系统管理员</translation>
    </message>
    <message>
      <source>CRM runs on this PC for the first time. Choose the administrator's login and password; the administrator then creates everyone else's accounts.</source>
      <translation>CRM 第一次在本机运行。请设置系统管理员的帐号和密码，之后由系统管理员为其他人员建立帐号。</translation>
    </message>
    <message>
      <source>Login:</source>
      <translation>帐号：</translation>
    </message>
    <message>
      <source>Password:</source>
      <translation>密码：</translation>
    </message>
    <message>
      <source>Password again:</source>
      <translation>确认密码：</translation>
    </message>
    <message>
      <source>Administrator</source>
      <translation>系统管理员</translation>
    </message>
  </context>
  <context>
    <name>ApproverPicker</name>
    <message>
      <source>Approvers</source>
      <translation>审批人</translation>
    </message>
  </context>
  <context>
    <name>AssignDialog</name>
    <message>
      <source>Assign customers</source>
      <translation>客户资源分派</translation>
    </message>
    <message>
      <source>Customers to assign: {count}</source>
      <translation>分派 {count} 个客户</translation>
    </message>
    <message>
      <source>Private (the receiver becomes the owner)</source>
      <translation>私有（接收人成为所属人）</translation>
    </message>
    <message>
      <source>Type</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>Unchanged</source>
      <translation>不变</translation>
    </message>
    <message>
      <source>Customer type</source>
      <translation>客户类型</translation>
    </message>
    <message>
      <source>Receiver</source>
      <translation>接收人</translation>
    </message>
    <message>
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <source>Save</source>
      <translation>保存</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <source>You do not have the permission to assign customers.</source>
      <translation>您没有分派客户的权限。</translation>
    </message>
    <message>
      <source>Customers of {owners} to assign ({count}): {names}</source>
      <translation>分派{owners}的 {count} 个客户：{names}</translation>
    </message>
    <message>
      <source>Private customers {count} / no limit, after assigning {after}</source>
      <translation>私有客户 {count} / 不限，分派后 {after}</translation>
    </message>
    <message>
      <source>Private customers {count} / limit {limit}, after assigning {after}</source>
      <translation>私有客户 {count} / 上限 {limit}，分派后 {after}</translation>
    </message>
    <message>
      <source> (over the limit)</source>
      <translation>（超出上限）</translation>
    </message>
  </context>
  <context>
    <name>BackupsScreen</name>
    <message>
      <source>Backups</source>
      <translation>数据备份</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>Finished</source>
      <translation>完成时间</translation>
    </message>
    <message>
      <source>Outcome</source>
      <translation>结果</translation>
    </message>
    <message>
      <source>Size</source>
      <translation>大小</translation>
    </message>
    <message>
      <source>File</source>
      <translation>文件</translation>
    </message>
    <message>
      <source>Made by</source>
      <translation>方式</translation>
    </message>
    <message>
      <source>Computer</source>
      <translation>电脑</translation>
    </message>
    <message>
      <source>Reason of the failure</source>
      <translation>失败原因</translation>
    </message>
    <message>
      <source>Backups are made on the server PC: crm-admin backup --to FOLDER --keep N (cron or Task Scheduler), or by the agent. See the administrator's guide.</source>
      <translation>备份在服务器电脑上进行：用 crm-admin backup --to 文件夹 --keep N（cron 或任务计划程序），或由后台服务（agent）定时执行。详见管理员指南。</translation>
    </message>
    <message>
      <source>The latest backup failed at %1: %2</source>
      <translation>最近一次备份于 %1 失败：%2</translation>
    </message>
    <message>
      <source>Done</source>
      <translation>成功</translation>
    </message>
    <message>
      <source>Failed</source>
      <translation>失败</translation>
    </message>
    <message>
      <source>Schedule</source>
      <translation>定时</translation>
    </message>
    <message>
      <source>By hand</source>
      <translation>手动</translation>
    </message>
    <message>
      <source>Last backup: none recorded yet.</source>
      <translation>最近一次备份：尚无记录。</translation>
    </message>
    <message>
      <source>Last backup: %1, %2, %3</source>
      <translation>最近一次备份：%1，%2，%3</translation>
    </message>
  </context>
  <context>
    <name>BindUKeyDialog</name>
    <message>
      <source>Bind UKey</source>
      <translation>绑定 UKey</translation>
    </message>
    <message>
      <source>Bind a UKey to %1 (%2). Insert the key, enter its PIN and the password %1 will type. From then on this account logs in only with this key.</source>
      <translation>为 %1（%2）绑定 UKey：请插入 UKey，输入它的 PIN 码和该帐号今后登录时输入的密码。绑定后该帐号只能插入这个 UKey 登录。</translation>
    </message>
    <message>
      <source>Password:</source>
      <translation>密码：</translation>
    </message>
    <message>
      <source>Confirm password:</source>
      <translation>确认密码：</translation>
    </message>
    <message>
      <source>Bind</source>
      <translation>绑定</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
  </context>
  <context>
    <name>CategoryEditor</name>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>Code</source>
      <translation>编号</translation>
    </message>
    <message>
      <source>Parent category</source>
      <translation>上级类别</translation>
    </message>
    <message>
      <source>Order</source>
      <translation>排序</translation>
    </message>
    <message>
      <source>New top category</source>
      <translation>新增顶级类别</translation>
    </message>
    <message>
      <source>New sub-category</source>
      <translation>新增下级类别</translation>
    </message>
    <message>
      <source>Save</source>
      <translation>保存</translation>
    </message>
    <message>
      <source>Delete</source>
      <translation>删除</translation>
    </message>
    <message>
      <source>(top level)</source>
      <translation>（顶级类别）</translation>
    </message>
    <message>
      <source>Delete the category {name}?</source>
      <translation>确定删除类别“{name}”吗？</translation>
    </message>
  </context>
  <context>
    <name>CategoryPermissionEditor</name>
    <message>
      <source>The account sees only customers of the ticked types (and its own). Nothing ticked: no limit.</source>
      <translation>该帐号只能查看所勾选类型的客户（以及自己的客户）。不勾选表示不限制。</translation>
    </message>
    <message>
      <source>Save</source>
      <translation>保存</translation>
    </message>
  </context>
  <context>
    <name>CategoryTree</name>
    <message>
      <source>Category</source>
      <translation>类别</translation>
    </message>
    <message>
      <source>Code</source>
      <translation>编号</translation>
    </message>
    <message>
      <source>All categories</source>
      <translation>全部类别</translation>
    </message>
  </context>
  <context>
    <name>ChangePasswordDialog</name>
    <message>
      <source>Change my password</source>
      <translation>修改我的密码</translation>
    </message>
    <message>
      <source>Current password</source>
      <translation>当前密码</translation>
    </message>
    <message>
      <source>New password</source>
      <translation>新密码</translation>
    </message>
    <message>
      <source>New password again</source>
      <translation>再次输入新密码</translation>
    </message>
  </context>
  <context>
    <name>ChoiceListEditor</name>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>Order</source>
      <translation>排序</translation>
    </message>
    <message>
      <source>Notes</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>Add</source>
      <translation>新增</translation>
    </message>
    <message>
      <source>Save changes</source>
      <translation>修改</translation>
    </message>
    <message>
      <source>Move up</source>
      <translation>上移</translation>
    </message>
    <message>
      <source>Move down</source>
      <translation>下移</translation>
    </message>
    <message>
      <source>Delete</source>
      <translation>删除</translation>
    </message>
    <message>
      <source>Delete “{name}”?</source>
      <translation>确定删除“{name}”吗？</translation>
    </message>
  </context>
  <context>
    <name>ChooseFilePage</name>
    <message>
      <source>Import: choose the file</source>
      <translation>导入：选择文件</translation>
    </message>
    <message>
      <source>Download template…</source>
      <translation>下载导入模板…</translation>
    </message>
    <message>
      <source>An Excel workbook (.xlsx) filled in from the template</source>
      <translation>按导入模板填写的 Excel 文件（.xlsx）</translation>
    </message>
    <message>
      <source>Choose file…</source>
      <translation>选择文件…</translation>
    </message>
    <message>
      <source>Before you import:</source>
      <translation>温馨提示：</translation>
    </message>
  </context>
  <context>
    <name>ContactEditor</name>
    <message>
      <source>Name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <source>Gender</source>
      <translation>性别</translation>
    </message>
    <message>
      <source>Title</source>
      <translation>职务</translation>
    </message>
    <message>
      <source>Phone</source>
      <translation>电话</translation>
    </message>
    <message>
      <source>Mobile</source>
      <translation>手机</translation>
    </message>
    <message>
      <source>E-mail</source>
      <translation>电子邮件</translation>
    </message>
    <message>
      <source>Primary</source>
      <translation>主联系人</translation>
    </message>
    <message>
      <source>Male</source>
      <translation>男</translation>
    </message>
    <message>
      <source>Female</source>
      <translation>女</translation>
    </message>
    <message>
      <source>Primary contact</source>
      <translation>主联系人</translation>
    </message>
    <message>
      <source>QQ</source>
      <translation>QQ</translation>
    </message>
    <message>
      <source>WeChat</source>
      <translation>微信</translation>
    </message>
    <message>
      <source>Notes</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>New contact</source>
      <translation>新增联系人</translation>
    </message>
    <message>
      <source>Save contact</source>
      <translation>保存联系人</translation>
    </message>
    <message>
      <source>Delete contact</source>
      <translation>删除联系人</translation>
    </message>
    <message>
      <source>Delete the contact {name}?</source>
      <translation>确定删除联系人“{name}”吗？</translation>
    </message>
  </context>
  <context>
    <name>ConversionEditor</name>
    <message>
      <source>Add conversion</source>
      <translation>添加换算</translation>
    </message>
    <message>
      <source>Delete conversion</source>
      <translation>删除换算</translation>
    </message>
  </context>
  <context>
    <name>CustomFieldEditor</name>
    <message>
      <source>Name</source>
      <translation>字段名称</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>Choices</source>
      <translation>选项</translation>
    </message>
    <message>
      <source>Required</source>
      <translation>必填</translation>
    </message>
    <message>
      <source>For choice fields: the choices, separated by 、 or ,</source>
      <translation>选项类型的字段：填写选项，用“、”或“,”分隔</translation>
    </message>
    <message>
      <source>Add</source>
      <translation>新增</translation>
    </message>
    <message>
      <source>Save</source>
      <translation>保存</translation>
    </message>
    <message>
      <source>Delete</source>
      <translation>删除</translation>
    </message>
    <message>
      <source>Yes</source>
      <translation>是</translation>
    </message>
    <message>
      <source>Choice</source>
      <translation>选项</translation>
    </message>
    <message>
      <source>Date</source>
      <translation>日期</translation>
    </message>
    <message>
      <source>Number</source>
      <translation>数字</translation>
    </message>
    <message>
      <source>Text</source>
      <translation>文本</translation>
    </message>
  </context>
  <context>
    <name>CustomerFilterBar</name>
    <message>
      <source>Name, number, phone, contact or pinyin</source>
      <translation>名称、编号、电话、联系人或拼音（首字母或全拼）</translation>
    </message>
    <message>
      <source>--All--</source>
      <translation>--全部--</translation>
    </message>
    <message>
      <source>Private</source>
      <translation>私有</translation>
    </message>
    <message>
      <source>Public</source>
      <translation>公共</translation>
    </message>
    <message>
      <source>Individual</source>
      <translation>个人</translation>
    </message>
    <message>
      <source>Company</source>
      <translation>企业</translation>
    </message>
    <message>
      <source>Any</source>
      <translation>不限</translation>
    </message>
    <message>
      <source>Reset</source>
      <translation>重置</translation>
    </message>
    <message>
      <source>Search</source>
      <translation>查询</translation>
    </message>
    <message>
      <source>Scope</source>
      <translation>授权范围</translation>
    </message>
    <message>
      <source>Owner</source>
      <translation>客户所属人</translation>
    </message>
    <message>
      <source>Customer kind</source>
      <translation>客户性质</translation>
    </message>
    <message>
      <source>Customer type</source>
      <translation>客户类型</translation>
    </message>
    <message>
      <source>Customer category</source>
      <translation>客户类别</translation>
    </message>
    <message>
      <source>Region</source>
      <translation>所在地区</translation>
    </message>
    <message>
      <source>Last contact from</source>
      <translation>最后联系时间</translation>
    </message>
    <message>
      <source>to</source>
      <translation>至</translation>
    </message>
    <message>
      <source>Name, number, phone, contact or initials</source>
      <translation>名称、编号、电话、联系人或拼音首字母</translation>
    </message>
  </context>
  <context>
    <name>CustomerForm</name>
    <message>
      <source>New customer</source>
      <translation>新增客户</translation>
    </message>
    <message>
      <source>Customer</source>
      <translation>客户档案</translation>
    </message>
    <message>
      <source>Basic information</source>
      <translation>基本信息</translation>
    </message>
    <message>
      <source>Contacts</source>
      <translation>联系人</translation>
    </message>
    <message>
      <source>Shares and history</source>
      <translation>共享与历史</translation>
    </message>
    <message>
      <source>Company</source>
      <translation>企业</translation>
    </message>
    <message>
      <source>Individual</source>
      <translation>个人</translation>
    </message>
    <message>
      <source>Private</source>
      <translation>私有</translation>
    </message>
    <message>
      <source>Public</source>
      <translation>公共</translation>
    </message>
    <message>
      <source>Customer name</source>
      <translation>客户名称</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>客户性质</translation>
    </message>
    <message>
      <source>Private/public</source>
      <translation>私有/公共</translation>
    </message>
    <message>
      <source>Customer number</source>
      <translation>客户编号</translation>
    </message>
    <message>
      <source>Customer type</source>
      <translation>客户类型</translation>
    </message>
    <message>
      <source>Customer category</source>
      <translation>客户类别</translation>
    </message>
    <message>
      <source>Region</source>
      <translation>所在地区</translation>
    </message>
    <message>
      <source>Customer source</source>
      <translation>客户来源</translation>
    </message>
    <message>
      <source>Industry</source>
      <translation>行业</translation>
    </message>
    <message>
      <source>Mobile</source>
      <translation>手机</translation>
    </message>
    <message>
      <source>Fax</source>
      <translation>传真</translation>
    </message>
    <message>
      <source>E-mail</source>
      <translation>电子邮件</translation>
    </message>
    <message>
      <source>Postcode</source>
      <translation>邮编</translation>
    </message>
    <message>
      <source>Notes</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>Record</source>
      <translation>档案信息</translation>
    </message>
    <message>
      <source>Owner</source>
      <translation>所属人</translation>
    </message>
    <message>
      <source>Department</source>
      <translation>所属部门</translation>
    </message>
    <message>
      <source>Created by</source>
      <translation>建档人</translation>
    </message>
    <message>
      <source>Created at</source>
      <translation>建档时间</translation>
    </message>
    <message>
      <source>Last contact</source>
      <translation>最后联系时间</translation>
    </message>
    <message>
      <source>Full name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <source>Home phone</source>
      <translation>家庭电话</translation>
    </message>
    <message>
      <source>Phone</source>
      <translation>电话</translation>
    </message>
    <message>
      <source>Home address</source>
      <translation>住址</translation>
    </message>
    <message>
      <source>Address</source>
      <translation>地址</translation>
    </message>
    <message>
      <source>Homepage</source>
      <translation>个人主页</translation>
    </message>
    <message>
      <source>Website</source>
      <translation>网址</translation>
    </message>
    <message>
      <source>--Choose--</source>
      <translation>--请选择--</translation>
    </message>
    <message>
      <source>{number} (left empty: numbered automatically)</source>
      <translation>{number}（留空则自动编号）</translation>
    </message>
    <message>
      <source>{number} (numbered automatically on saving)</source>
      <translation>{number}（保存时自动编号）</translation>
    </message>
    <message>
      <source>Customer {number}</source>
      <translation>客户档案 {number}</translation>
    </message>
    <message>
      <source>Private customers {owned} / no limit</source>
      <translation>私有客户 {owned} / 不限</translation>
    </message>
    <message>
      <source>Private customers {owned} / limit {limit}</source>
      <translation>私有客户 {owned} / 上限 {limit}</translation>
    </message>
  </context>
  <context>
    <name>CustomerHistoryTab</name>
    <message>
      <source>Receiver</source>
      <translation>接收人</translation>
    </message>
    <message>
      <source>Shared at</source>
      <translation>共享时间</translation>
    </message>
    <message>
      <source>Time</source>
      <translation>时间</translation>
    </message>
    <message>
      <source>By</source>
      <translation>操作人</translation>
    </message>
    <message>
      <source>Action</source>
      <translation>操作</translation>
    </message>
    <message>
      <source>Details</source>
      <translation>详情</translation>
    </message>
    <message>
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <source>Planned for</source>
      <translation>计划时间</translation>
    </message>
    <message>
      <source>Follower</source>
      <translation>跟进人</translation>
    </message>
    <message>
      <source>Subject</source>
      <translation>主题</translation>
    </message>
    <message>
      <source>Done</source>
      <translation>已完成</translation>
    </message>
    <message>
      <source>Shared with</source>
      <translation>共享给</translation>
    </message>
    <message>
      <source>History</source>
      <translation>历史记录</translation>
    </message>
    <message>
      <source>Contact plans</source>
      <translation>联系计划</translation>
    </message>
    <message>
      <source>Yes</source>
      <translation>是</translation>
    </message>
    <message>
      <source>No</source>
      <translation>否</translation>
    </message>
    <message>
      <source>Shared</source>
      <translation>共享</translation>
    </message>
    <message>
      <source>Unshared</source>
      <translation>取消共享</translation>
    </message>
    <message>
      <source>Assigned</source>
      <translation>分派</translation>
    </message>
    <message>
      <source>Type changed</source>
      <translation>类型变更</translation>
    </message>
  </context>
  <context>
    <name>CustomerListWidget</name>
    <message>
      <source>New</source>
      <translation>新增</translation>
    </message>
    <message>
      <source>Edit</source>
      <translation>修改</translation>
    </message>
    <message>
      <source>Delete</source>
      <translation>删除</translation>
    </message>
    <message>
      <source>Share</source>
      <translation>共享</translation>
    </message>
    <message>
      <source>Assign</source>
      <translation>分派</translation>
    </message>
    <message>
      <source>Import</source>
      <translation>导入</translation>
    </message>
    <message>
      <source>Export</source>
      <translation>导出</translation>
    </message>
    <message>
      <source>Display settings</source>
      <translation>显示设置</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>Needs the permission: %1</source>
      <translation>需要权限：%1</translation>
    </message>
    <message>
      <source>Customers of %1</source>
      <translation>%1 的客户</translation>
    </message>
    <message>
      <source>Counting…</source>
      <translation>正在统计…</translation>
    </message>
    <message>
      <source>More than {count} customers</source>
      <translation>超过 {count} 个客户</translation>
    </message>
    <message>
      <source>{count} customers</source>
      <translation>共 {count} 个客户</translation>
    </message>
    <message>
      <source>About {count} customers</source>
      <translation>约 {count} 个客户</translation>
    </message>
    <message>
      <source>Show every customer again</source>
      <translation>显示全部客户</translation>
    </message>
    <message>
      <source>Delete {count} customers with their contacts?</source>
      <translation>确定删除选中的 {count} 个客户及其联系人吗？</translation>
    </message>
    <message>
      <source>Shared {count} customers with {names}</source>
      <translation>已共享 {count} 个客户给 {names}</translation>
    </message>
    <message>
      <source>Assigned {count} customers to {names}</source>
      <translation>已分派 {count} 个客户给 {names}</translation>
    </message>
    <message>
      <source>Export customers</source>
      <translation>导出客户</translation>
    </message>
    <message>
      <source>Exported {count} customers to {path}</source>
      <translation>已导出 {count} 个客户到 {path}</translation>
    </message>
    <message>
      <source>Exporting…</source>
      <translation>正在导出…</translation>
    </message>
  </context>
  <context>
    <name>CustomerPermissionDialog</name>
    <message>
      <source>Customer permissions</source>
      <translation>客户档案权限分配</translation>
    </message>
    <message>
      <source>The customer types of the account were saved</source>
      <translation>已保存该帐号的客户分类权限</translation>
    </message>
    <message>
      <source>The management scope of the account was saved</source>
      <translation>已保存该帐号的管理范围</translation>
    </message>
    <message>
      <source>Saved {count} private-customer limits</source>
      <translation>已保存 {count} 个私有客户上限</translation>
    </message>
    <message>
      <source>Category permissions</source>
      <translation>客户分类权限设置</translation>
    </message>
    <message>
      <source>Management scope</source>
      <translation>人员管理层次权限设置</translation>
    </message>
    <message>
      <source>Private customer limits</source>
      <translation>客户资源设置</translation>
    </message>
    <message>
      <source>You may look at these settings; changing them needs the permission “customer permissions”.</source>
      <translation>您可以查看这些设置；修改需要“客户档案权限分配”权限。</translation>
    </message>
  </context>
  <context>
    <name>CustomerSettingsDialog</name>
    <message>
      <source>Customer base settings</source>
      <translation>客户档案基础信息设置</translation>
    </message>
    <message>
      <source>Next customer number</source>
      <translation>下一个客户编号</translation>
    </message>
    <message>
      <source>A customer number is the prefix, the date part and a sequence that starts again in each period, e.g. KH2026110001. New customers get it when they are saved.</source>
      <translation>客户编号由前缀、日期部分和流水号组成，流水号在每个周期重新开始，例如 KH2026110001。新客户在保存时获得编号。</translation>
    </message>
    <message>
      <source>Customer types</source>
      <translation>客户类型</translation>
    </message>
    <message>
      <source>Customer categories</source>
      <translation>客户类别</translation>
    </message>
    <message>
      <source>Customer sources</source>
      <translation>客户来源</translation>
    </message>
    <message>
      <source>Industries</source>
      <translation>行业</translation>
    </message>
    <message>
      <source>Regions</source>
      <translation>所在地区</translation>
    </message>
    <message>
      <source>Customer number rule</source>
      <translation>客户编号规则</translation>
    </message>
    <message>
      <source>Duplicate check</source>
      <translation>撞单设置</translation>
    </message>
    <message>
      <source>You may look at these settings; changing them needs the permission “customer base settings”.</source>
      <translation>您可以查看这些设置；修改需要“客户档案基础信息设置”权限。</translation>
    </message>
  </context>
  <context>
    <name>DecisionDialog</name>
    <message>
      <source>Approve %1 %2</source>
      <translation>审批 %1 %2</translation>
    </message>
    <message>
      <source>Comment (required to reject)</source>
      <translation>审批意见（驳回时必填）</translation>
    </message>
    <message>
      <source>Flow chart</source>
      <translation>流程图</translation>
    </message>
    <message>
      <source>Approve</source>
      <translation>同意</translation>
    </message>
    <message>
      <source>Reject</source>
      <translation>驳回</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>关闭</translation>
    </message>
  </context>
  <context>
    <name>DelegationDialog</name>
    <message>
      <source>Delegate my approvals</source>
      <translation>审批委托代理</translation>
    </message>
    <message>
      <source>--Choose--</source>
      <translation>--请选择--</translation>
    </message>
    <message>
      <source>Delegate</source>
      <translation>代理人</translation>
    </message>
    <message>
      <source>From</source>
      <translation>开始日期</translation>
    </message>
    <message>
      <source>To</source>
      <translation>结束日期</translation>
    </message>
    <message>
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <source>Now</source>
      <translation>当前代理</translation>
    </message>
    <message>
      <source>End my delegations</source>
      <translation>结束我的代理</translation>
    </message>
    <message>
      <source>No delegation</source>
      <translation>无</translation>
    </message>
  </context>
  <context>
    <name>DeletedAccountsScreen</name>
    <message>
      <source>Deleted accounts</source>
      <translation>已删除人员</translation>
    </message>
    <message>
      <source>Restore</source>
      <translation>恢复</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>Select one or more accounts first.</source>
      <translation>请先选择一个或多个帐号。</translation>
    </message>
  </context>
  <context>
    <name>DepartmentDialog</name>
    <message>
      <source>Edit department</source>
      <translation>修改部门</translation>
    </message>
    <message>
      <source>(top department)</source>
      <translation>顶级</translation>
    </message>
    <message>
      <source>Organisation:</source>
      <translation>机构：</translation>
    </message>
    <message>
      <source>Parent department:</source>
      <translation>上级部门：</translation>
    </message>
    <message>
      <source>Department name:</source>
      <translation>部门名称：</translation>
    </message>
    <message>
      <source>Phone:</source>
      <translation>电话：</translation>
    </message>
    <message>
      <source>Notes:</source>
      <translation>备注：</translation>
    </message>
  </context>
  <context>
    <name>DepartmentGridDialog</name>
    <message>
      <source>New departments</source>
      <translation>新增部门</translation>
    </message>
    <message>
      <source>Organisation</source>
      <translation>机构</translation>
    </message>
    <message>
      <source>Parent department</source>
      <translation>上级部门</translation>
    </message>
    <message>
      <source>Department name</source>
      <translation>部门名称</translation>
    </message>
    <message>
      <source>Phone</source>
      <translation>电话</translation>
    </message>
    <message>
      <source>Notes</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>Rows</source>
      <translation>增减行</translation>
    </message>
    <message>
      <source>Each organisation has one top department. Use + and − to add or remove rows.</source>
      <translation>每个机构只能建立一个顶级部门。可通过 + 号或 − 号增加或减少行，一次新增多个部门。</translation>
    </message>
    <message>
      <source>Add a row below</source>
      <translation>在下方增加一行</translation>
    </message>
    <message>
      <source>Remove this row</source>
      <translation>删除此行</translation>
    </message>
    <message>
      <source>(top department)</source>
      <translation>顶级</translation>
    </message>
  </context>
  <context>
    <name>DepartmentsScreen</name>
    <message>
      <source>Departments</source>
      <translation>部门</translation>
    </message>
    <message>
      <source>New</source>
      <translation>新增</translation>
    </message>
    <message>
      <source>Edit</source>
      <translation>修改</translation>
    </message>
    <message>
      <source>Delete</source>
      <translation>删除</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>Department</source>
      <translation>部门</translation>
    </message>
    <message>
      <source>Phone</source>
      <translation>电话</translation>
    </message>
    <message>
      <source>Notes</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>Select a department first.</source>
      <translation>请先选择一个部门。</translation>
    </message>
    <message>
      <source>Delete the department %1?</source>
      <translation>确定删除部门“%1”吗？</translation>
    </message>
  </context>
  <context>
    <name>DonePage</name>
    <message>
      <source>Import: done</source>
      <translation>导入：完成</translation>
    </message>
    <message>
      <source>Save error report…</source>
      <translation>保存错误报告…</translation>
    </message>
  </context>
  <context>
    <name>DuplicateCheckSetting</name>
    <message>
      <source>When someone adds or imports a customer, the whole archive is checked for the same company name or phone, including customers they cannot see. They are told that it exists; this setting decides whether they are also told who follows it.</source>
      <translation>新增或导入客户时，系统会在整个客户档案中（包括其看不到的客户）查找同名的公司或相同的电话。系统总会告诉其客户已存在；此设置决定是否同时告诉其该客户的跟进人。</translation>
    </message>
    <message>
      <source>Name the follower of a duplicate the user cannot see</source>
      <translation>对看不到的重复客户，显示其跟进人</translation>
    </message>
  </context>
  <context>
    <name>FirstRun</name>
    <message>
      <source>Starting the database on this PC…</source>
      <translation>正在启动本机数据库…</translation>
    </message>
    <message>
      <source>CRM cannot be used on this PC without an administrator.</source>
      <translation>没有系统管理员，本机无法使用 CRM。</translation>
    </message>
  </context>
  <context>
    <name>FlowChartDialog</name>
    <message>
      <source>Flow chart</source>
      <translation>流程图</translation>
    </message>
    <message>
      <source>Flow: %1 (version %2) · submitted by %3 at %4 · %5</source>
      <translation>流程：%1（第 %2 版）· %3 提交于 %4 · %5</translation>
    </message>
    <message>
      <source>(no flow)</source>
      <translation>（无流程）</translation>
    </message>
    <message>
      <source>Submit</source>
      <translation>提交</translation>
    </message>
    <message>
      <source>End</source>
      <translation>结束</translation>
    </message>
    <message>
      <source>Time</source>
      <translation>时间</translation>
    </message>
    <message>
      <source>Who</source>
      <translation>操作人</translation>
    </message>
    <message>
      <source>Action</source>
      <translation>操作</translation>
    </message>
    <message>
      <source>Step</source>
      <translation>步骤</translation>
    </message>
    <message>
      <source>Comment</source>
      <translation>意见</translation>
    </message>
    <message>
      <source> for %1</source>
      <translation>（代 %1）</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>关闭</translation>
    </message>
  </context>
  <context>
    <name>FlowEditor</name>
    <message>
      <source>Approval flows</source>
      <translation>审批流程设置</translation>
    </message>
    <message>
      <source>New flow</source>
      <translation>新增流程</translation>
    </message>
    <message>
      <source>Document type</source>
      <translation>单据类型</translation>
    </message>
    <message>
      <source>In use</source>
      <translation>启用</translation>
    </message>
    <message>
      <source>all conditions</source>
      <translation>满足全部条件</translation>
    </message>
    <message>
      <source>any condition</source>
      <translation>满足任一条件</translation>
    </message>
    <message>
      <source>Fact</source>
      <translation>项目</translation>
    </message>
    <message>
      <source>Compare</source>
      <translation>比较</translation>
    </message>
    <message>
      <source>Value</source>
      <translation>数值</translation>
    </message>
    <message>
      <source>Step</source>
      <translation>步骤名称</translation>
    </message>
    <message>
      <source>Approvers by</source>
      <translation>审批人类型</translation>
    </message>
    <message>
      <source>Who</source>
      <translation>审批人</translation>
    </message>
    <message>
      <source>Levels up</source>
      <translation>上级层数</translation>
    </message>
    <message>
      <source>Mode</source>
      <translation>审批方式</translation>
    </message>
    <message>
      <source>k</source>
      <translation>k</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>流程名称</translation>
    </message>
    <message>
      <source>Priority (lower is tried first)</source>
      <translation>优先级（数字小的先匹配）</translation>
    </message>
    <message>
      <source>Applies when</source>
      <translation>适用条件</translation>
    </message>
    <message>
      <source>Steps, in order</source>
      <translation>审批步骤（按顺序）</translation>
    </message>
    <message>
      <source>Add</source>
      <translation>添加</translation>
    </message>
    <message>
      <source>Remove</source>
      <translation>删除</translation>
    </message>
    <message>
      <source> (not in use)</source>
      <translation>（停用）</translation>
    </message>
    <message>
      <source>Version %1; saving makes version %2</source>
      <translation>当前第 %1 版；保存后为第 %2 版</translation>
    </message>
    <message>
      <source>Manager</source>
      <translation>部门经理</translation>
    </message>
    <message>
      <source>(the submitter's leader)</source>
      <translation>（提交人的上级）</translation>
    </message>
    <message>
      <source>Choose…</source>
      <translation>选择…</translation>
    </message>
  </context>
  <context>
    <name>FormButtons</name>
    <message>
      <source>Save</source>
      <translation>保存</translation>
    </message>
    <message>
      <source>Save and close</source>
      <translation>保存退出</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>关闭</translation>
    </message>
  </context>
  <context>
    <name>FormHabits</name>
    <message>
      <source>The changes are not saved. Close and discard them?</source>
      <translation>修改尚未保存。确定关闭并放弃这些修改吗？</translation>
    </message>
  </context>
  <context>
    <name>ImportWizard</name>
    <message>
      <source>Import</source>
      <translation>导入</translation>
    </message>
    <message>
      <source>Import {title}</source>
      <translation>导入{title}</translation>
    </message>
    <message>
      <source>Choose the file to import</source>
      <translation>选择要导入的文件</translation>
    </message>
    <message>
      <source>Excel workbooks (*.xlsx *.xlsm);;All files (*)</source>
      <translation>Excel 工作簿 (*.xlsx *.xlsm);;所有文件 (*)</translation>
    </message>
    <message>
      <source>Save the template</source>
      <translation>保存导入模板</translation>
    </message>
    <message>
      <source>Save the error report</source>
      <translation>保存错误报告</translation>
    </message>
    <message>
      <source>Reading and checking {name}…</source>
      <translation>正在读取并检查 {name}…</translation>
    </message>
    <message>
      <source>Checking the rows…</source>
      <translation>正在检查数据…</translation>
    </message>
    <message>
      <source>Checking was cancelled.</source>
      <translation>检查已取消。</translation>
    </message>
    <message>
      <source>{total} rows read: {valid} can be imported, {errors} have errors (red), {notes} were read with notes (yellow).</source>
      <translation>共读取 {total} 行：可导入 {valid} 行，有错误 {errors} 行（红色），有提示 {notes} 行（黄色）。</translation>
    </message>
    <message>
      <source>Import {count} valid rows</source>
      <translation>导入 {count} 行有效数据</translation>
    </message>
    <message>
      <source>Importing…</source>
      <translation>正在导入…</translation>
    </message>
    <message>
      <source>{errors} rows with errors were not imported; save the error report, correct it and import it again.</source>
      <translation>有错误的 {errors} 行没有导入；请保存错误报告，修改后再次导入。</translation>
    </message>
  </context>
  <context>
    <name>Launcher</name>
    <message>
      <source>CRM</source>
      <translation>CRM</translation>
    </message>
  </context>
  <context>
    <name>ListScreen</name>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
  </context>
  <context>
    <name>LockOverlay</name>
    <message>
      <source>Locked: the UKey was removed</source>
      <translation>已锁定：UKey 已拔出</translation>
    </message>
  </context>
  <context>
    <name>LoginDialog</name>
    <message>
      <source>CRM — Log in</source>
      <translation>CRM — 登录</translation>
    </message>
    <message>
      <source>Customer relationship management</source>
      <translation>客户关系管理系统</translation>
    </message>
    <message>
      <source>This PC</source>
      <translation>本机</translation>
    </message>
    <message>
      <source>Server on the network</source>
      <translation>网络服务器</translation>
    </message>
    <message>
      <source>e.g. 192.168.1.10</source>
      <translation>例如 192.168.1.10</translation>
    </message>
    <message>
      <source>Remember me</source>
      <translation>记住我</translation>
    </message>
    <message>
      <source>Log in</source>
      <translation>登录</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Connect to:</source>
      <translation>连接到：</translation>
    </message>
    <message>
      <source>Server:</source>
      <translation>服务器：</translation>
    </message>
    <message>
      <source>Port:</source>
      <translation>端口：</translation>
    </message>
    <message>
      <source>Database:</source>
      <translation>数据库：</translation>
    </message>
    <message>
      <source>Login:</source>
      <translation>帐号：</translation>
    </message>
    <message>
      <source>Password:</source>
      <translation>密码：</translation>
    </message>
    <message>
      <source>If this account's UKey was replaced, log in again to use the inserted one.</source>
      <translation>如该帐号的 UKey 已更换，请再次登录以使用插入的 UKey。</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <source>CRM — Customer relationship management</source>
      <translation>CRM — 客户关系管理系统</translation>
    </message>
    <message>
      <source>Needs the permission: %1</source>
      <translation>需要权限：%1</translation>
    </message>
    <message>
      <source>&amp;System management</source>
      <translation>系统管理(&amp;S)</translation>
    </message>
    <message>
      <source>&amp;Customer management</source>
      <translation>客户管理(&amp;C)</translation>
    </message>
    <message>
      <source>&amp;Product management</source>
      <translation>产品管理(&amp;P)</translation>
    </message>
    <message>
      <source>S&amp;ales management</source>
      <translation>销售管理(&amp;A)</translation>
    </message>
    <message>
      <source>C&amp;ontracts and orders</source>
      <translation>合同订单(&amp;O)</translation>
    </message>
    <message>
      <source>&amp;Finance management</source>
      <translation>财务管理(&amp;F)</translation>
    </message>
    <message>
      <source>&amp;Help</source>
      <translation>帮助(&amp;H)</translation>
    </message>
    <message>
      <source>Customer ser&amp;vice</source>
      <translation>客服跟踪(&amp;K)</translation>
    </message>
    <message>
      <source>&amp;View</source>
      <translation>视图(&amp;V)</translation>
    </message>
    <message>
      <source>Change my &amp;password…</source>
      <translation>修改我的密码(&amp;P)…</translation>
    </message>
    <message>
      <source>A UKey account's password is set when its key is bound; the key's PIN protects it.</source>
      <translation>UKey 帐号的密码在绑定 UKey 时设置，由 UKey 的 PIN 码保护。</translation>
    </message>
    <message>
      <source>&amp;Log out / switch user</source>
      <translation>注销 / 切换用户(&amp;L)</translation>
    </message>
    <message>
      <source>E&amp;xit</source>
      <translation>退出(&amp;X)</translation>
    </message>
    <message>
      <source>&amp;Refresh</source>
      <translation>刷新(&amp;R)</translation>
    </message>
    <message>
      <source>&amp;Find…</source>
      <translation>查找(&amp;F)…</translation>
    </message>
    <message>
      <source>Restore the &amp;default layout</source>
      <translation>恢复默认布局(&amp;D)</translation>
    </message>
    <message>
      <source>&amp;Language</source>
      <translation>语言(&amp;L)</translation>
    </message>
    <message>
      <source>&amp;About CRM</source>
      <translation>关于 CRM(&amp;A)</translation>
    </message>
    <message>
      <source>The new language is used when CRM starts again.</source>
      <translation>新的界面语言将在重新启动 CRM 后生效。</translation>
    </message>
    <message>
      <source>&lt;b&gt;CRM desktop&lt;/b&gt; %1&lt;br&gt;Customer relationship management for the office.&lt;br&gt;Every rule is kept by the PostgreSQL server: %2&lt;br&gt;Server version: %3</source>
      <translation>&lt;b&gt;CRM 客户关系管理&lt;/b&gt; %1&lt;br&gt;面向办公室的客户关系管理软件。&lt;br&gt;所有规则都由 PostgreSQL 服务器执行：%2&lt;br&gt;服务器版本：%3</translation>
    </message>
    <message>
      <source>About CRM</source>
      <translation>关于 CRM</translation>
    </message>
    <message>
      <source>unknown</source>
      <translation>未知</translation>
    </message>
    <message>
      <source>Your password was changed.</source>
      <translation>您的密码已修改。</translation>
    </message>
    <message>
      <source>Logged in: %1</source>
      <translation>当前帐号：%1</translation>
    </message>
    <message>
      <source>Server: %1</source>
      <translation>服务器：%1</translation>
    </message>
    <message>
      <source>● Live updates on</source>
      <translation>● 实时更新已连接</translation>
    </message>
    <message>
      <source>○ Live updates interrupted</source>
      <translation>○ 实时更新已中断</translation>
    </message>
    <message>
      <source>&amp;Customers</source>
      <translation>客户(&amp;C)</translation>
    </message>
    <message>
      <source>&amp;Finance</source>
      <translation>财务(&amp;F)</translation>
    </message>
    <message>
      <source>&amp;Products</source>
      <translation>产品(&amp;P)</translation>
    </message>
    <message>
      <source>&amp;System</source>
      <translation>系统管理(&amp;S)</translation>
    </message>
    <message>
      <source>&lt;b&gt;CRM desktop&lt;/b&gt;&lt;br&gt;Customer relationship management for the office.&lt;br&gt;Every rule is kept by the PostgreSQL server: %1</source>
      <translation>&lt;b&gt;CRM 客户关系管理&lt;/b&gt;&lt;br&gt;面向办公室的客户关系管理软件。&lt;br&gt;所有规则都由 PostgreSQL 服务器执行：%1</translation>
    </message>
    <message>
      <source>Open</source>
      <translation>打开</translation>
    </message>
    <message>
      <source>S&amp;ales</source>
      <translation>销售(&amp;A)</translation>
    </message>
    <message>
      <source>Ser&amp;vice</source>
      <translation>客服(&amp;V)</translation>
    </message>
    <message>
      <source>V&amp;iew</source>
      <translation>视图(&amp;I)</translation>
    </message>
    <message>
      <source>You do not have the permission for this.</source>
      <translation>您没有此操作的权限。</translation>
    </message>
  </context>
  <context>
    <name>ManagementScopeEditor</name>
    <message>
      <source>The leader sees the customers of the ticked organisations and departments (with their sub-departments).</source>
      <translation>该领导可以查看所勾选机构和部门（含下级部门）的客户信息。</translation>
    </message>
    <message>
      <source>Save</source>
      <translation>保存</translation>
    </message>
  </context>
  <context>
    <name>MyApprovalsWidget</name>
    <message>
      <source>Waiting for me</source>
      <translation>待我审批</translation>
    </message>
    <message>
      <source>Submitted by me</source>
      <translation>我提交的</translation>
    </message>
    <message>
      <source>Decided by me</source>
      <translation>我已处理</translation>
    </message>
    <message>
      <source>Stalled approvals</source>
      <translation>停滞的审批</translation>
    </message>
    <message>
      <source>Open</source>
      <translation>打开</translation>
    </message>
    <message>
      <source>Flow chart</source>
      <translation>流程图</translation>
    </message>
    <message>
      <source>Withdraw</source>
      <translation>撤回</translation>
    </message>
    <message>
      <source>Delegate…</source>
      <translation>委托代理…</translation>
    </message>
    <message>
      <source>Reassign / name approver…</source>
      <translation>转办 / 指定审批人…</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>Number</source>
      <translation>单据号</translation>
    </message>
    <message>
      <source>Customer</source>
      <translation>客户</translation>
    </message>
    <message>
      <source>Submitted by</source>
      <translation>提交人</translation>
    </message>
    <message>
      <source>Step</source>
      <translation>步骤</translation>
    </message>
    <message>
      <source>Submitted</source>
      <translation>提交时间</translation>
    </message>
    <message>
      <source> (no approver)</source>
      <translation>（缺少审批人）</translation>
    </message>
    <message>
      <source>Waiting longer than %1 hours</source>
      <translation>已等待超过 %1 小时</translation>
    </message>
    <message>
      <source>Waiting for me (%1)</source>
      <translation>待我审批（%1）</translation>
    </message>
    <message>
      <source>Approver</source>
      <translation>审批人</translation>
    </message>
    <message>
      <source>New approver</source>
      <translation>新审批人</translation>
    </message>
    <message>
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <source>Why (recorded)</source>
      <translation>原因（将记录在审批历史中）</translation>
    </message>
    <message>
      <source>Amount</source>
      <translation>金额</translation>
    </message>
    <message>
      <source>Decided</source>
      <translation>处理时间</translation>
    </message>
    <message>
      <source>Document</source>
      <translation>单据</translation>
    </message>
    <message>
      <source>My decision</source>
      <translation>我的决定</translation>
    </message>
    <message>
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Waiting since</source>
      <translation>到达时间</translation>
    </message>
  </context>
  <context>
    <name>NameListEditor</name>
    <message>
      <source>Add</source>
      <translation>新增</translation>
    </message>
    <message>
      <source>Rename</source>
      <translation>重命名</translation>
    </message>
    <message>
      <source>Delete</source>
      <translation>删除</translation>
    </message>
  </context>
  <context>
    <name>NavigationDock</name>
    <message>
      <source>Navigation</source>
      <translation>导航</translation>
    </message>
  </context>
  <context>
    <name>NumberingRuleEditor</name>
    <message>
      <source>Numbers may also be typed by hand</source>
      <translation>允许手工填写编号</translation>
    </message>
    <message>
      <source>Not in the rule's own format; typing one tells if a hidden row has it</source>
      <translation>不能与本规则的编号格式相同；填写编号可得知是否有看不到的记录已使用该编号</translation>
    </message>
    <message>
      <source>(none)</source>
      <translation>（无）</translation>
    </message>
    <message>
      <source>Prefix</source>
      <translation>前缀</translation>
    </message>
    <message>
      <source>Separator</source>
      <translation>分隔符</translation>
    </message>
    <message>
      <source>Date part</source>
      <translation>日期部分</translation>
    </message>
    <message>
      <source>Sequence digits</source>
      <translation>流水号位数</translation>
    </message>
    <message>
      <source>Example</source>
      <translation>示例</translation>
    </message>
    <message>
      <source>Year (YYYY)</source>
      <translation>年（YYYY）</translation>
    </message>
    <message>
      <source>Year and month (YYYYMM)</source>
      <translation>年月（YYYYMM）</translation>
    </message>
    <message>
      <source>Date (YYYYMMDD)</source>
      <translation>年月日（YYYYMMDD）</translation>
    </message>
    <message>
      <source>Save</source>
      <translation>保存</translation>
    </message>
  </context>
  <context>
    <name>OrgTreeDock</name>
    <message>
      <source>Organisation</source>
      <translation>组织架构</translation>
    </message>
    <message>
      <source>Filter by name or login…</source>
      <translation>按名称或帐号筛选…</translation>
    </message>
    <message>
      <source>O</source>
      <translation>机</translation>
    </message>
    <message>
      <source>D</source>
      <translation>部</translation>
    </message>
    <message>
      <source>P</source>
      <translation>职</translation>
    </message>
    <message>
      <source>M</source>
      <translation>管</translation>
    </message>
    <message>
      <source>A</source>
      <translation>人</translation>
    </message>
    <message>
      <source>Manager position: the department's head</source>
      <translation>管理职位：部门负责人</translation>
    </message>
    <message>
      <source>, concurrent</source>
      <translation>，兼任</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
  </context>
  <context>
    <name>OrganizationDialog</name>
    <message>
      <source>Edit organisation</source>
      <translation>修改机构</translation>
    </message>
    <message>
      <source>New organisation</source>
      <translation>新增机构</translation>
    </message>
    <message>
      <source>Name:</source>
      <translation>机构名称：</translation>
    </message>
    <message>
      <source>Short name:</source>
      <translation>简称：</translation>
    </message>
    <message>
      <source>Phone:</source>
      <translation>电话：</translation>
    </message>
    <message>
      <source>Address:</source>
      <translation>地址：</translation>
    </message>
    <message>
      <source>Notes:</source>
      <translation>备注：</translation>
    </message>
  </context>
  <context>
    <name>OrganizationsScreen</name>
    <message>
      <source>Organisations</source>
      <translation>机构</translation>
    </message>
    <message>
      <source>New</source>
      <translation>新增</translation>
    </message>
    <message>
      <source>Edit</source>
      <translation>修改</translation>
    </message>
    <message>
      <source>Delete</source>
      <translation>删除</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>机构名称</translation>
    </message>
    <message>
      <source>Short name</source>
      <translation>简称</translation>
    </message>
    <message>
      <source>Phone</source>
      <translation>电话</translation>
    </message>
    <message>
      <source>Address</source>
      <translation>地址</translation>
    </message>
    <message>
      <source>Notes</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>Select an organisation first.</source>
      <translation>请先选择一个机构。</translation>
    </message>
    <message>
      <source>Delete the organisation %1?</source>
      <translation>确定删除机构“%1”吗？</translation>
    </message>
  </context>
  <context>
    <name>PermissionGridScreen</name>
    <message>
      <source>Role permissions</source>
      <translation>角色权限组授权</translation>
    </message>
    <message>
      <source>Save</source>
      <translation>保存</translation>
    </message>
    <message>
      <source>Expand all</source>
      <translation>全部展开</translation>
    </message>
    <message>
      <source>Collapse all</source>
      <translation>全部折叠</translation>
    </message>
    <message>
      <source>Reload</source>
      <translation>重新加载</translation>
    </message>
    <message>
      <source>Permission</source>
      <translation>权限</translation>
    </message>
    <message>
      <source>All organisations</source>
      <translation>所有机构</translation>
    </message>
    <message>
      <source>Changed: %1</source>
      <translation>已修改：%1</translation>
    </message>
    <message>
      <source>Tick a permission to grant it; a ticked group grants everything in it.</source>
      <translation>勾选即授予该权限；勾选一个分组即授予其下全部权限。</translation>
    </message>
  </context>
  <context>
    <name>PickerDialog</name>
    <message>
      <source>Name, number or pinyin initials</source>
      <translation>名称、编号或拼音首字母</translation>
    </message>
  </context>
  <context>
    <name>PositionChartScreen</name>
    <message>
      <source>Position chart</source>
      <translation>职位关系图</translation>
    </message>
    <message>
      <source>All organisations</source>
      <translation>所有机构</translation>
    </message>
    <message>
      <source>(vacant)</source>
      <translation>（空缺）</translation>
    </message>
    <message>
      <source>%1 and others (%2)</source>
      <translation>%1 等 %2 人</translation>
    </message>
    <message>
      <source>Organisation:</source>
      <translation>机构：</translation>
    </message>
    <message>
      <source>Zoom in</source>
      <translation>放大</translation>
    </message>
    <message>
      <source>Zoom out</source>
      <translation>缩小</translation>
    </message>
    <message>
      <source>Fit</source>
      <translation>适合窗口</translation>
    </message>
    <message>
      <source>Export PNG…</source>
      <translation>导出图片…</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>Export position chart</source>
      <translation>导出职位关系图</translation>
    </message>
    <message>
      <source>position chart</source>
      <translation>职位关系图</translation>
    </message>
  </context>
  <context>
    <name>PositionChooser</name>
    <message>
      <source>Choose a position</source>
      <translation>选择职位</translation>
    </message>
    <message>
      <source>Main position</source>
      <translation>主要职位</translation>
    </message>
    <message>
      <source>Concurrent position</source>
      <translation>兼任职位</translation>
    </message>
  </context>
  <context>
    <name>PositionDialog</name>
    <message>
      <source>Edit position</source>
      <translation>修改职位</translation>
    </message>
    <message>
      <source>New position</source>
      <translation>新增职位</translation>
    </message>
    <message>
      <source>Manager position</source>
      <translation>管理职位</translation>
    </message>
    <message>
      <source>The holder of a manager position heads the department.</source>
      <translation>管理职位即该部门负责人，有相应管理功能。</translation>
    </message>
    <message>
      <source>Organisation:</source>
      <translation>机构：</translation>
    </message>
    <message>
      <source>Department:</source>
      <translation>部门：</translation>
    </message>
    <message>
      <source>Superior position:</source>
      <translation>上级职位：</translation>
    </message>
    <message>
      <source>Position name:</source>
      <translation>职位名称：</translation>
    </message>
    <message>
      <source>--Select--</source>
      <translation>--请选择--</translation>
    </message>
    <message>
      <source>Department</source>
      <translation>部门</translation>
    </message>
  </context>
  <context>
    <name>PositionTable</name>
    <message>
      <source>Organisation</source>
      <translation>机构</translation>
    </message>
    <message>
      <source>Department</source>
      <translation>部门</translation>
    </message>
    <message>
      <source>Position</source>
      <translation>职位</translation>
    </message>
    <message>
      <source>Since</source>
      <translation>任职时间</translation>
    </message>
    <message>
      <source>Type</source>
      <translation>职位类型</translation>
    </message>
    <message>
      <source>Action</source>
      <translation>操作</translation>
    </message>
    <message>
      <source>Main</source>
      <translation>主要</translation>
    </message>
    <message>
      <source>Concurrent</source>
      <translation>兼任</translation>
    </message>
    <message>
      <source>Remove</source>
      <translation>删除</translation>
    </message>
  </context>
  <context>
    <name>PositionsScreen</name>
    <message>
      <source>Positions</source>
      <translation>职位</translation>
    </message>
    <message>
      <source>New</source>
      <translation>新增</translation>
    </message>
    <message>
      <source>Edit</source>
      <translation>修改</translation>
    </message>
    <message>
      <source>Delete</source>
      <translation>删除</translation>
    </message>
    <message>
      <source>Organisation</source>
      <translation>机构</translation>
    </message>
    <message>
      <source>Department</source>
      <translation>部门</translation>
    </message>
    <message>
      <source>Position</source>
      <translation>职位名称</translation>
    </message>
    <message>
      <source>Superior position</source>
      <translation>上级职位</translation>
    </message>
    <message>
      <source>Manager position</source>
      <translation>管理职位</translation>
    </message>
    <message>
      <source>Yes</source>
      <translation>是</translation>
    </message>
    <message>
      <source>Select a position first.</source>
      <translation>请先选择一个职位。</translation>
    </message>
    <message>
      <source>Delete the position %1?</source>
      <translation>确定删除职位“%1”吗？</translation>
    </message>
  </context>
  <context>
    <name>PreviewDialog</name>
    <message>
      <source>Print preview</source>
      <translation>打印预览</translation>
    </message>
    <message>
      <source>Print…</source>
      <translation>打印…</translation>
    </message>
    <message>
      <source>Save as PDF…</source>
      <translation>另存为 PDF…</translation>
    </message>
    <message>
      <source>Print all (%1)…</source>
      <translation>全部打印（%1 份）…</translation>
    </message>
    <message>
      <source>Save all as PDF…</source>
      <translation>全部另存为 PDF…</translation>
    </message>
    <message>
      <source>Zoom out</source>
      <translation>缩小</translation>
    </message>
    <message>
      <source>Zoom in</source>
      <translation>放大</translation>
    </message>
    <message>
      <source>Preparing the preview…</source>
      <translation>正在生成预览…</translation>
    </message>
    <message>
      <source>  %1 %2 · %3 page(s)</source>
      <translation>  %1 %2 · 共 %3 页</translation>
    </message>
    <message>
      <source>Printing…</source>
      <translation>正在打印…</translation>
    </message>
    <message>
      <source>Save as PDF</source>
      <translation>另存为 PDF</translation>
    </message>
    <message>
      <source>Save the PDFs in</source>
      <translation>PDF 保存到</translation>
    </message>
    <message>
      <source>Saving PDFs…</source>
      <translation>正在保存 PDF…</translation>
    </message>
  </context>
  <context>
    <name>PreviewModel</name>
    <message>
      <source>Row</source>
      <translation>行号</translation>
    </message>
    <message>
      <source>Row {number}</source>
      <translation>第 {number} 行</translation>
    </message>
    <message>
      <source>Errors and notes</source>
      <translation>错误与提示</translation>
    </message>
    <message>
      <source>OK</source>
      <translation>可导入</translation>
    </message>
    <message>
      <source>Error</source>
      <translation>错误</translation>
    </message>
    <message>
      <source>Note</source>
      <translation>提示</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状态</translation>
    </message>
  </context>
  <context>
    <name>PreviewPage</name>
    <message>
      <source>Import: check the rows</source>
      <translation>导入：检查数据</translation>
    </message>
    <message>
      <source>Show only rows with errors or notes</source>
      <translation>只显示有错误或提示的行</translation>
    </message>
    <message>
      <source>Save error report…</source>
      <translation>保存错误报告…</translation>
    </message>
  </context>
  <context>
    <name>PrintSettings</name>
    <message>
      <source>Letterhead and print templates</source>
      <translation>打印抬头与模板</translation>
    </message>
  </context>
  <context>
    <name>PrintSettingsScreen</name>
    <message>
      <source>Letterhead and print templates</source>
      <translation>打印抬头与模板</translation>
    </message>
    <message>
      <source>Letterhead</source>
      <translation>公司抬头</translation>
    </message>
    <message>
      <source>Print templates</source>
      <translation>打印模板</translation>
    </message>
    <message>
      <source>You may read these settings; changing them needs the permission “Letterhead and print templates”.</source>
      <translation>您可以查看这些设置；修改需要“打印抬头与模板”权限。</translation>
    </message>
    <message>
      <source>Company name</source>
      <translation>公司名称</translation>
    </message>
    <message>
      <source>Address</source>
      <translation>地址</translation>
    </message>
    <message>
      <source>Phone</source>
      <translation>电话</translation>
    </message>
    <message>
      <source>Fax</source>
      <translation>传真</translation>
    </message>
    <message>
      <source>E-mail</source>
      <translation>E-mail</translation>
    </message>
    <message>
      <source>Website</source>
      <translation>网址</translation>
    </message>
    <message>
      <source>Bank and account</source>
      <translation>开户行及账号</translation>
    </message>
    <message>
      <source>Tax number</source>
      <translation>税号</translation>
    </message>
    <message>
      <source>(no logo)</source>
      <translation>（无标志）</translation>
    </message>
    <message>
      <source>Choose logo…</source>
      <translation>选择标志…</translation>
    </message>
    <message>
      <source>Remove logo</source>
      <translation>删除标志</translation>
    </message>
    <message>
      <source>Logo (PNG or JPEG, at most 1 MB)</source>
      <translation>标志（PNG 或 JPEG，最大 1 MB）</translation>
    </message>
    <message>
      <source>Save letterhead</source>
      <translation>保存抬头</translation>
    </message>
    <message>
      <source>(the document's own name)</source>
      <translation>（单据本身的名称）</translation>
    </message>
    <message>
      <source>Columns printed</source>
      <translation>打印的列</translation>
    </message>
    <message>
      <source>Document</source>
      <translation>单据</translation>
    </message>
    <message>
      <source>Title</source>
      <translation>标题</translation>
    </message>
    <message>
      <source>Footer text</source>
      <translation>页脚文字</translation>
    </message>
    <message>
      <source>Save template</source>
      <translation>保存模板</translation>
    </message>
    <message>
      <source>Preview</source>
      <translation>预览</translation>
    </message>
    <message>
      <source>Choose logo</source>
      <translation>选择标志</translation>
    </message>
  </context>
  <context>
    <name>Printing</name>
    <message>
      <source>Printing…</source>
      <translation>正在打印…</translation>
    </message>
    <message>
      <source>Save the PDFs in</source>
      <translation>PDF 保存到</translation>
    </message>
    <message>
      <source>Saving PDFs…</source>
      <translation>正在保存 PDF…</translation>
    </message>
  </context>
  <context>
    <name>PrivateLimitEditor</name>
    <message>
      <source>Name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <source>Login</source>
      <translation>帐号</translation>
    </message>
    <message>
      <source>Department</source>
      <translation>部门</translation>
    </message>
    <message>
      <source>Private customers</source>
      <translation>私有客户数</translation>
    </message>
    <message>
      <source>Private customer limit</source>
      <translation>最多私有客户数</translation>
    </message>
    <message>
      <source>The most private customers each account may own; empty means no limit. A lower limit takes no customers away, it only stops new ones.</source>
      <translation>每个帐号最多可拥有的私有客户数量；为空表示不限制。调低上限不会收回已有客户，只会阻止新增。</translation>
    </message>
    <message>
      <source>Save</source>
      <translation>保存</translation>
    </message>
  </context>
  <context>
    <name>ProductForm</name>
    <message>
      <source>Product</source>
      <translation>产品信息</translation>
    </message>
    <message>
      <source>Custom fields</source>
      <translation>自定义字段</translation>
    </message>
    <message>
      <source>Basic information</source>
      <translation>基本信息</translation>
    </message>
    <message>
      <source>Yes</source>
      <translation>是</translation>
    </message>
    <message>
      <source>No</source>
      <translation>否</translation>
    </message>
    <message>
      <source>Category</source>
      <translation>类别</translation>
    </message>
    <message>
      <source>Type</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>Number</source>
      <translation>编号</translation>
    </message>
    <message>
      <source>Model</source>
      <translation>规格型号</translation>
    </message>
    <message>
      <source>Item code</source>
      <translation>货号</translation>
    </message>
    <message>
      <source>Base unit</source>
      <translation>标准单位</translation>
    </message>
    <message>
      <source>Monitored</source>
      <translation>监控</translation>
    </message>
    <message>
      <source>Serial tracking</source>
      <translation>SN管理模式</translation>
    </message>
    <message>
      <source>Notes</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>Prices</source>
      <translation>价格</translation>
    </message>
    <message>
      <source>List sale price</source>
      <translation>标准销售价格</translation>
    </message>
    <message>
      <source>List purchase price</source>
      <translation>标准采购价格</translation>
    </message>
    <message>
      <source>Additional</source>
      <translation>附加</translation>
    </message>
    <message>
      <source>By sale date</source>
      <translation>按销售时间</translation>
    </message>
    <message>
      <source>By outbound date</source>
      <translation>按出库时间</translation>
    </message>
    <message>
      <source>By inbound date</source>
      <translation>按入库时间</translation>
    </message>
    <message>
      <source>By production date</source>
      <translation>按生产时间</translation>
    </message>
    <message>
      <source>Service interval</source>
      <translation>服务周期</translation>
    </message>
    <message>
      <source>Maintenance interval</source>
      <translation>产品维护周期</translation>
    </message>
    <message>
      <source>Scrap period</source>
      <translation>报废周期</translation>
    </message>
    <message>
      <source> days</source>
      <translation> 日</translation>
    </message>
    <message>
      <source>none</source>
      <translation>不设置</translation>
    </message>
    <message>
      <source>Picture</source>
      <translation>图片</translation>
    </message>
    <message>
      <source>No picture</source>
      <translation>暂无图片</translation>
    </message>
    <message>
      <source>Choose picture…</source>
      <translation>选择图片…</translation>
    </message>
    <message>
      <source>Remove picture</source>
      <translation>移除图片</translation>
    </message>
    <message>
      <source>--Choose--</source>
      <translation>--请选择--</translation>
    </message>
    <message>
      <source>Product {number}</source>
      <translation>产品信息：{number}</translation>
    </message>
    <message>
      <source>{number} (left empty: numbered automatically)</source>
      <translation>{number}（留空则自动编号）</translation>
    </message>
    <message>
      <source>{number} (numbered automatically on saving)</source>
      <translation>{number}（保存时自动编号）</translation>
    </message>
    <message>
      <source>Choose picture</source>
      <translation>选择图片</translation>
    </message>
    <message>
      <source>Pictures (*.png *.jpg *.jpeg *.gif *.bmp)</source>
      <translation>图片 (*.png *.jpg *.jpeg *.gif *.bmp)</translation>
    </message>
    <message>
      <source>Always</source>
      <translation>启用</translation>
    </message>
    <message>
      <source>Off</source>
      <translation>不启用</translation>
    </message>
    <message>
      <source>Outbound only (not on inbound)</source>
      <translation>入库不启用，出库启用</translation>
    </message>
  </context>
  <context>
    <name>ProductListWidget</name>
    <message>
      <source>New</source>
      <translation>新增</translation>
    </message>
    <message>
      <source>Delete</source>
      <translation>删除</translation>
    </message>
    <message>
      <source>Import</source>
      <translation>导入</translation>
    </message>
    <message>
      <source>Export</source>
      <translation>导出</translation>
    </message>
    <message>
      <source>Display settings</source>
      <translation>显示设置</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>--All--</source>
      <translation>--全部--</translation>
    </message>
    <message>
      <source>Yes</source>
      <translation>是</translation>
    </message>
    <message>
      <source>No</source>
      <translation>否</translation>
    </message>
    <message>
      <source>Search</source>
      <translation>查询</translation>
    </message>
    <message>
      <source>Type</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>Number</source>
      <translation>编号</translation>
    </message>
    <message>
      <source>Item code</source>
      <translation>货号</translation>
    </message>
    <message>
      <source>Model</source>
      <translation>规格型号</translation>
    </message>
    <message>
      <source>Monitored</source>
      <translation>监控</translation>
    </message>
    <message>
      <source>Serial tracking</source>
      <translation>SN管理模式</translation>
    </message>
    <message>
      <source>Delete {count} products?</source>
      <translation>确定删除选中的 {count} 个产品吗？</translation>
    </message>
    <message>
      <source>Export products</source>
      <translation>导出产品</translation>
    </message>
    <message>
      <source>Exporting…</source>
      <translation>正在导出…</translation>
    </message>
  </context>
  <context>
    <name>ProductSettingsDialog</name>
    <message>
      <source>Product base settings</source>
      <translation>产品基础信息设置</translation>
    </message>
    <message>
      <source>A product number is prefix, the category's code and a sequence counted per category, e.g. FH-SVSHF-081.</source>
      <translation>产品编号由前缀、产品类别的编号和按类别累计的流水号组成，例如 FH-SVSHF-081。</translation>
    </message>
    <message>
      <source>Product categories</source>
      <translation>产品类别</translation>
    </message>
    <message>
      <source>Product number</source>
      <translation>产品编号</translation>
    </message>
    <message>
      <source>Product types</source>
      <translation>产品类型</translation>
    </message>
    <message>
      <source>Units and conversions</source>
      <translation>单位换算</translation>
    </message>
    <message>
      <source>Custom fields</source>
      <translation>自定义字段</translation>
    </message>
  </context>
  <context>
    <name>ProgressDialog</name>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Cancelling…</source>
      <translation>正在取消…</translation>
    </message>
  </context>
  <context>
    <name>QuoteForm</name>
    <message>
      <source>Quote</source>
      <translation>报价单</translation>
    </message>
    <message>
      <source>(from the numbering rule)</source>
      <translation>（按编号规则生成）</translation>
    </message>
    <message>
      <source>Choose…</source>
      <translation>选择…</translation>
    </message>
    <message>
      <source>Number</source>
      <translation>单据号</translation>
    </message>
    <message>
      <source>Quoted by</source>
      <translation>报价人</translation>
    </message>
    <message>
      <source>Customer</source>
      <translation>客户名称</translation>
    </message>
    <message>
      <source>Contact</source>
      <translation>联系人</translation>
    </message>
    <message>
      <source>Office phone</source>
      <translation>办公电话</translation>
    </message>
    <message>
      <source>Department / title</source>
      <translation>部门职务</translation>
    </message>
    <message>
      <source>E-mail</source>
      <translation>电子邮件</translation>
    </message>
    <message>
      <source>Mobile</source>
      <translation>手机号码</translation>
    </message>
    <message>
      <source>Approval flow</source>
      <translation>审批流程</translation>
    </message>
    <message>
      <source>Quote date</source>
      <translation>报价时间</translation>
    </message>
    <message>
      <source>Valid until</source>
      <translation>有效期至</translation>
    </message>
    <message>
      <source>Discount %</source>
      <translation>折扣 %</translation>
    </message>
    <message>
      <source>Approval</source>
      <translation>审核状态</translation>
    </message>
    <message>
      <source>Add product…</source>
      <translation>添加产品…</translation>
    </message>
    <message>
      <source>Remove line</source>
      <translation>删除明细</translation>
    </message>
    <message>
      <source>Submit for approval</source>
      <translation>提交审批</translation>
    </message>
    <message>
      <source>Withdraw</source>
      <translation>撤回</translation>
    </message>
    <message>
      <source>Flow chart</source>
      <translation>流程图</translation>
    </message>
    <message>
      <source>Print preview…</source>
      <translation>打印预览…</translation>
    </message>
    <message>
      <source>Lines:</source>
      <translation>明细：</translation>
    </message>
    <message>
      <source>Template</source>
      <translation>模板</translation>
    </message>
    <message>
      <source>Notes</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>--Automatic--</source>
      <translation>--自动选择--</translation>
    </message>
    <message>
      <source> · expired</source>
      <translation> · 已过期</translation>
    </message>
    <message>
      <source>--Choose--</source>
      <translation>--请选择--</translation>
    </message>
    <message>
      <source>Choose a product</source>
      <translation>选择产品</translation>
    </message>
    <message>
      <source>Total  quantity: %1   amount: %2   discount: %3 %   after discount: %4</source>
      <translation>合计  数量：%1   总金额：%2   折扣：%3 %   折后总额：%4</translation>
    </message>
    <message>
      <source>Choose a customer</source>
      <translation>选择客户</translation>
    </message>
    <message>
      <source>After discount</source>
      <translation>折后金额</translation>
    </message>
    <message>
      <source>Amount</source>
      <translation>销售额</translation>
    </message>
    <message>
      <source>Category</source>
      <translation>产品类别</translation>
    </message>
    <message>
      <source>Code</source>
      <translation>编号</translation>
    </message>
    <message>
      <source>Line rate</source>
      <translation>折扣 %</translation>
    </message>
    <message>
      <source>Model</source>
      <translation>规格型号</translation>
    </message>
    <message>
      <source>Product</source>
      <translation>产品名称</translation>
    </message>
    <message>
      <source>Quantity</source>
      <translation>数量</translation>
    </message>
    <message>
      <source>Type</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>Unit</source>
      <translation>单位</translation>
    </message>
    <message>
      <source>Unit price</source>
      <translation>单价</translation>
    </message>
  </context>
  <context>
    <name>QuoteListWidget</name>
    <message>
      <source>Quotes</source>
      <translation>报价单管理</translation>
    </message>
    <message>
      <source>Quote lines</source>
      <translation>报价单明细</translation>
    </message>
    <message>
      <source>New</source>
      <translation>新增</translation>
    </message>
    <message>
      <source>Export</source>
      <translation>导出</translation>
    </message>
    <message>
      <source>Print preview</source>
      <translation>打印预览</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>--Myself--</source>
      <translation>--默认自己--</translation>
    </message>
    <message>
      <source>--Everyone I may see--</source>
      <translation>--全部可见--</translation>
    </message>
    <message>
      <source>Private</source>
      <translation>私有</translation>
    </message>
    <message>
      <source>Public</source>
      <translation>公共</translation>
    </message>
    <message>
      <source>By quoter</source>
      <translation>按报价人</translation>
    </message>
    <message>
      <source>By customer owner</source>
      <translation>按客户所属人</translation>
    </message>
    <message>
      <source>--All--</source>
      <translation>--全部--</translation>
    </message>
    <message>
      <source>Search</source>
      <translation>查询</translation>
    </message>
    <message>
      <source>Scope</source>
      <translation>授权范围</translation>
    </message>
    <message>
      <source>Customer type</source>
      <translation>客户类型</translation>
    </message>
    <message>
      <source>Approval</source>
      <translation>审核状态</translation>
    </message>
    <message>
      <source>Number</source>
      <translation>单据号</translation>
    </message>
    <message>
      <source>Quoted from</source>
      <translation>报价时间</translation>
    </message>
    <message>
      <source>to</source>
      <translation>至</translation>
    </message>
    <message>
      <source>Customer</source>
      <translation>客户名称</translation>
    </message>
    <message>
      <source>Quoted by</source>
      <translation>报价人</translation>
    </message>
    <message>
      <source>Exporting…</source>
      <translation>正在导出…</translation>
    </message>
  </context>
  <context>
    <name>ReceiverPicker</name>
    <message>
      <source>Add to receivers</source>
      <translation>添加</translation>
    </message>
    <message>
      <source>-- Select --</source>
      <translation>--请选择--</translation>
    </message>
    <message>
      <source>Remove receiver</source>
      <translation>移除</translation>
    </message>
  </context>
  <context>
    <name>RegionEditor</name>
    <message>
      <source>Region</source>
      <translation>地区</translation>
    </message>
    <message>
      <source>Name of the new region</source>
      <translation>新地区的名称</translation>
    </message>
    <message>
      <source>Rename</source>
      <translation>重命名</translation>
    </message>
    <message>
      <source>Delete</source>
      <translation>删除</translation>
    </message>
    <message>
      <source>Add under the selected region</source>
      <translation>新增下级地区</translation>
    </message>
    <message>
      <source>Add a top-level region</source>
      <translation>新增顶级地区</translation>
    </message>
    <message>
      <source>Selected region</source>
      <translation>所选地区</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>New region</source>
      <translation>新地区</translation>
    </message>
    <message>
      <source>Regions are written as a path, e.g. 中国.广东省.广州; a name may not contain a full stop.</source>
      <translation>地区按路径书写，例如 中国.广东省.广州；名称中不能包含“.”。</translation>
    </message>
    <message>
      <source>(none)</source>
      <translation>（未选择）</translation>
    </message>
    <message>
      <source>Delete the region {path}?</source>
      <translation>确定删除地区“{path}”吗？</translation>
    </message>
  </context>
  <context>
    <name>ReminderBox</name>
    <message>
      <source>Create a contact plan reminder</source>
      <translation>产生联系计划提醒</translation>
    </message>
    <message>
      <source>e.g. follow up</source>
      <translation>例如：电话回访</translation>
    </message>
    <message>
      <source>Contact at</source>
      <translation>联系时间</translation>
    </message>
    <message>
      <source>Subject</source>
      <translation>主题</translation>
    </message>
  </context>
  <context>
    <name>RoleAccountsDialog</name>
    <message>
      <source>Accounts of role %1</source>
      <translation>角色“%1”的关联帐号</translation>
    </message>
    <message>
      <source>name or login</source>
      <translation>姓名或帐号</translation>
    </message>
    <message>
      <source>Select all</source>
      <translation>全选</translation>
    </message>
    <message>
      <source>Select none</source>
      <translation>全不选</translation>
    </message>
    <message>
      <source>Find:</source>
      <translation>查找：</translation>
    </message>
    <message numerus="yes">
      <source>%n account(s) chosen</source>
      <translation>
        <numerusform />
      </translation>
    </message>
  </context>
  <context>
    <name>RoleDialog</name>
    <message>
      <source>Edit role</source>
      <translation>修改角色权限组</translation>
    </message>
    <message>
      <source>New role</source>
      <translation>新增角色权限组</translation>
    </message>
    <message>
      <source>(all organisations)</source>
      <translation>（所有机构通用）</translation>
    </message>
    <message>
      <source>Role name:</source>
      <translation>角色名称：</translation>
    </message>
    <message>
      <source>Organisation:</source>
      <translation>所属机构：</translation>
    </message>
    <message>
      <source>Notes:</source>
      <translation>备注：</translation>
    </message>
  </context>
  <context>
    <name>RolesScreen</name>
    <message>
      <source>Roles</source>
      <translation>权限角色组</translation>
    </message>
    <message>
      <source>New</source>
      <translation>新增</translation>
    </message>
    <message>
      <source>Edit</source>
      <translation>修改</translation>
    </message>
    <message>
      <source>Delete</source>
      <translation>删除</translation>
    </message>
    <message>
      <source>Accounts…</source>
      <translation>关联帐号…</translation>
    </message>
    <message>
      <source>Permissions…</source>
      <translation>授权…</translation>
    </message>
    <message>
      <source>Role</source>
      <translation>角色</translation>
    </message>
    <message>
      <source>Organisation</source>
      <translation>所属机构</translation>
    </message>
    <message>
      <source>Type</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>Notes</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>All organisations</source>
      <translation>所有机构</translation>
    </message>
    <message>
      <source>Default</source>
      <translation>系统默认</translation>
    </message>
    <message>
      <source>Custom</source>
      <translation>自定义</translation>
    </message>
    <message>
      <source>Select a role first.</source>
      <translation>请先选择一个角色。</translation>
    </message>
    <message>
      <source>Delete the role %1?</source>
      <translation>确定删除角色“%1”吗？</translation>
    </message>
  </context>
  <context>
    <name>ServerTrustDialog</name>
    <message>
      <source>New server</source>
      <translation>新服务器</translation>
    </message>
    <message>
      <source>First connection to this server ({server}). Its certificate fingerprint (SHA-256) is:</source>
      <translation>首次连接到此服务器（{server}），证书指纹（SHA-256）为：</translation>
    </message>
    <message>
      <source>Compare it with the fingerprint that "crm-admin server status" shows on the server. Trust this server?</source>
      <translation>请与服务器上“crm-admin server status”显示的指纹核对。是否信任？</translation>
    </message>
    <message>
      <source>Trust</source>
      <translation>信任</translation>
    </message>
    <message>
      <source>Do not connect</source>
      <translation>不连接</translation>
    </message>
  </context>
  <context>
    <name>SessionsScreen</name>
    <message>
      <source>Sessions</source>
      <translation>在线会话</translation>
    </message>
    <message>
      <source>End session</source>
      <translation>结束会话</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>Login</source>
      <translation>帐号</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <source>Computer</source>
      <translation>电脑</translation>
    </message>
    <message>
      <source>Address</source>
      <translation>地址</translation>
    </message>
    <message>
      <source>Connected since</source>
      <translation>连接时间</translation>
    </message>
    <message>
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Since</source>
      <translation>开始于</translation>
    </message>
    <message>
      <source>Blocked by</source>
      <translation>被谁阻塞</translation>
    </message>
    <message>
      <source>Blocking</source>
      <translation>阻塞了谁</translation>
    </message>
    <message>
      <source>Process</source>
      <translation>进程号</translation>
    </message>
    <message>
      <source>Program</source>
      <translation>程序</translation>
    </message>
    <message>
      <source>Sessions connected: %1</source>
      <translation>在线会话：%1 个</translation>
    </message>
    <message>
      <source>, %1 of them blocking others</source>
      <translation>，其中 %1 个正在阻塞他人</translation>
    </message>
    <message>
      <source>(system)</source>
      <translation>（系统）</translation>
    </message>
    <message>
      <source> (this window)</source>
      <translation>（本窗口）</translation>
    </message>
    <message>
      <source>Blocking others</source>
      <translation>阻塞他人</translation>
    </message>
    <message>
      <source>Waiting for a lock</source>
      <translation>等待锁</translation>
    </message>
    <message>
      <source>Working</source>
      <translation>正在执行</translation>
    </message>
    <message>
      <source>Idle</source>
      <translation>空闲</translation>
    </message>
    <message>
      <source>Idle in a transaction</source>
      <translation>事务中空闲</translation>
    </message>
    <message>
      <source>Idle in a failed transaction</source>
      <translation>出错的事务中空闲</translation>
    </message>
    <message>
      <source>Select a session first.</source>
      <translation>请先选择一个会话。</translation>
    </message>
    <message>
      <source>End the session of %1? Its unsaved work is rolled back.</source>
      <translation>确定结束 %1 的会话吗？其未提交的操作将被撤销。</translation>
    </message>
  </context>
  <context>
    <name>ShareDialog</name>
    <message>
      <source>Share customers</source>
      <translation>客户信息共享</translation>
    </message>
    <message>
      <source>Customers to share: {count}</source>
      <translation>共享 {count} 个客户</translation>
    </message>
    <message>
      <source>Receivers see the customers and may add contact records; they cannot change, share or assign them.</source>
      <translation>接收人可以查看这些客户并添加联系记录，但不能修改、共享或分派。</translation>
    </message>
    <message>
      <source>Receivers</source>
      <translation>接收人</translation>
    </message>
    <message>
      <source>Already shared with</source>
      <translation>已共享给</translation>
    </message>
    <message>
      <source>Save</source>
      <translation>保存</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <source>You do not have the permission to share customers.</source>
      <translation>您没有共享客户的权限。</translation>
    </message>
    <message>
      <source>Customers to share ({count}): {names}</source>
      <translation>共享 {count} 个客户：{names}</translation>
    </message>
    <message>
      <source>Stop sharing</source>
      <translation>取消共享</translation>
    </message>
    <message>
      <source>Stop sharing with {name}?</source>
      <translation>确定取消与{name}的共享吗？</translation>
    </message>
  </context>
  <context>
    <name>StaleRowDialog</name>
    <message>
      <source>Changed by someone else</source>
      <translation>记录已被他人修改</translation>
    </message>
    <message>
      <source>Field</source>
      <translation>字段</translation>
    </message>
    <message>
      <source>What you read</source>
      <translation>您读取时的内容</translation>
    </message>
    <message>
      <source>Now</source>
      <translation>现在的内容</translation>
    </message>
    <message>
      <source>Reload</source>
      <translation>重新加载</translation>
    </message>
    <message>
      <source>Keep editing</source>
      <translation>继续编辑</translation>
    </message>
    <message>
      <source>(empty)</source>
      <translation>（空）</translation>
    </message>
    <message>
      <source>Yes</source>
      <translation>是</translation>
    </message>
    <message>
      <source>No</source>
      <translation>否</translation>
    </message>
  </context>
  <context>
    <name>StepBox</name>
    <message>
      <source>Done</source>
      <translation>已完成</translation>
    </message>
    <message>
      <source>Now here</source>
      <translation>当前步骤</translation>
    </message>
    <message>
      <source>Not yet</source>
      <translation>未开始</translation>
    </message>
    <message>
      <source>Rejected</source>
      <translation>已驳回</translation>
    </message>
    <message>
      <source>No approver: the administrator is told</source>
      <translation>缺少审批人：已通知管理员</translation>
    </message>
    <message>
      <source> (by %1)</source>
      <translation>（%1 代批）</translation>
    </message>
  </context>
  <context>
    <name>UKeyPinPrompt</name>
    <message>
      <source>the UKey's PIN</source>
      <translation>UKey 的 PIN 码</translation>
    </message>
    <message>
      <source>Card reader:</source>
      <translation>读卡器：</translation>
    </message>
    <message>
      <source>UKey:</source>
      <translation>UKey：</translation>
    </message>
    <message>
      <source>PIN:</source>
      <translation>PIN 码：</translation>
    </message>
    <message>
      <source>checking…</source>
      <translation>正在检测…</translation>
    </message>
    <message>
      <source>no card reader</source>
      <translation>没有读卡器</translation>
    </message>
    <message>
      <source>UKey support is not installed</source>
      <translation>未安装 UKey 支持</translation>
    </message>
    <message>
      <source>not inserted</source>
      <translation>未插入</translation>
    </message>
    <message>
      <source>inserted</source>
      <translation>已插入</translation>
    </message>
    <message>
      <source>inserted: this account's UKey</source>
      <translation>已插入：是该帐号绑定的 UKey</translation>
    </message>
    <message>
      <source>inserted: not this account's UKey</source>
      <translation>已插入：不是该帐号绑定的 UKey</translation>
    </message>
  </context>
  <context>
    <name>UnbindUKeyDialog</name>
    <message>
      <source>Unbind UKey</source>
      <translation>解除 UKey 绑定</translation>
    </message>
    <message>
      <source>Unbind the UKey of %1 (%2). The account then logs in without a key, with the new password entered here.</source>
      <translation>解除 %1（%2）的 UKey 绑定：解除后该帐号不再需要 UKey，用这里输入的新密码登录。</translation>
    </message>
    <message>
      <source>New password:</source>
      <translation>新密码：</translation>
    </message>
    <message>
      <source>Confirm password:</source>
      <translation>确认密码：</translation>
    </message>
    <message>
      <source>Unbind</source>
      <translation>解除绑定</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
  </context>
  <context>
    <name>UnlockDialog</name>
    <message>
      <source>CRM is locked</source>
      <translation>CRM 已锁定</translation>
    </message>
    <message>
      <source>The UKey was removed, so CRM is locked. Your open work is kept. Insert the UKey of %1 and enter its PIN to continue.</source>
      <translation>UKey 已拔出，CRM 已锁定，正在编辑的内容都已保留。请插入 %1 的 UKey 并输入 PIN 码继续工作。</translation>
    </message>
    <message>
      <source>Unlock</source>
      <translation>解锁</translation>
    </message>
    <message>
      <source>Quit CRM</source>
      <translation>退出 CRM</translation>
    </message>
  </context>
  <context>
    <name>Workbench</name>
    <message>
      <source>My account</source>
      <translation>我的帐号</translation>
    </message>
    <message>
      <source>Your account has no role yet, so there is nothing for you to open. Ask your administrator to give your account a role.</source>
      <translation>您的帐号还没有分配权限角色，暂时没有可以使用的功能。请联系系统管理员为您的帐号分配角色。</translation>
    </message>
    <message>
      <source>No role</source>
      <translation>尚无角色</translation>
    </message>
    <message>
      <source>Setting up the system</source>
      <translation>系统架构搭建流程</translation>
    </message>
    <message>
      <source>All of this is under the System menu; drag an account onto a position in the organisation tree to move it.</source>
      <translation>以上操作都在“系统管理”菜单中；在左侧组织架构中把人员拖到职位上即可调整其职位。</translation>
    </message>
    <message>
      <source>Create the accounts</source>
      <translation>建帐号</translation>
    </message>
    <message>
      <source>Create the departments</source>
      <translation>建部门</translation>
    </message>
    <message>
      <source>Create the organisations</source>
      <translation>建机构</translation>
    </message>
    <message>
      <source>Create the positions</source>
      <translation>建职位</translation>
    </message>
    <message>
      <source>Create the roles</source>
      <translation>建权限角色组</translation>
    </message>
    <message>
      <source>Give the accounts their roles</source>
      <translation>给帐号分配角色权限组</translation>
    </message>
    <message>
      <source>Give the roles their permissions</source>
      <translation>给角色权限组分配权限</translation>
    </message>
  </context>
  <context>
    <name>WorkbenchPanel</name>
    <message>
      <source>Do not show again</source>
      <translation>不再显示</translation>
    </message>
  </context>
  <context>
    <name>_PasswordDialog</name>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
  </context>
  <context>
    <name>owner</name>
    <message>
      <source>Create the organisations</source>
      <translation>建机构</translation>
    </message>
    <message>
      <source>Create the departments</source>
      <translation>建部门</translation>
    </message>
    <message>
      <source>Create the positions</source>
      <translation>建职位</translation>
    </message>
    <message>
      <source>Create the accounts</source>
      <translation>建帐号</translation>
    </message>
    <message>
      <source>Create the roles</source>
      <translation>建权限角色组</translation>
    </message>
    <message>
      <source>Give the roles their permissions</source>
      <translation>给角色权限组分配权限</translation>
    </message>
    <message>
      <source>Give the accounts their roles</source>
      <translation>给帐号分配角色权限组</translation>
    </message>
    <message>
      <source>All of this is under the System menu; drag an account onto a position in the organisation tree to move it.</source>
      <translation>以上操作都在“系统管理”菜单中；在左侧组织架构中把人员拖到职位上即可调整其职位。</translation>
    </message>
  </context>
  <context>
    <name>AccountSource</name>
    <message>
      <source>Active</source>
      <translation>在职</translation>
    </message>
    <message>
      <source>Department</source>
      <translation>部门</translation>
    </message>
    <message>
      <source>E-mail</source>
      <translation>电子邮件</translation>
    </message>
    <message>
      <source>Female</source>
      <translation>女</translation>
    </message>
    <message>
      <source>Gender</source>
      <translation>性别</translation>
    </message>
    <message>
      <source>Locked</source>
      <translation>已锁定</translation>
    </message>
    <message>
      <source>Login</source>
      <translation>帐号</translation>
    </message>
    <message>
      <source>Main position</source>
      <translation>主要职位</translation>
    </message>
    <message>
      <source>Male</source>
      <translation>男</translation>
    </message>
    <message>
      <source>Mobile</source>
      <translation>手机</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <source>Number</source>
      <translation>编号</translation>
    </message>
    <message>
      <source>Organisation</source>
      <translation>机构</translation>
    </message>
    <message>
      <source>Resigned</source>
      <translation>离职</translation>
    </message>
    <message>
      <source>Retired</source>
      <translation>退休</translation>
    </message>
    <message>
      <source>Roles</source>
      <translation>权限角色组</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>UKey</source>
      <translation>UKey</translation>
    </message>
    <message>
      <source>Valid until</source>
      <translation>有效期至</translation>
    </message>
    <message>
      <source>Yes</source>
      <translation>是</translation>
    </message>
  </context>
  <context>
    <name>AdminMenu</name>
    <message>
      <source>Accounts</source>
      <translation>人员帐号</translation>
    </message>
    <message>
      <source>Backups</source>
      <translation>数据备份</translation>
    </message>
    <message>
      <source>Deleted accounts</source>
      <translation>已删除人员</translation>
    </message>
    <message>
      <source>Departments</source>
      <translation>部门</translation>
    </message>
    <message>
      <source>Organisations</source>
      <translation>机构</translation>
    </message>
    <message>
      <source>Position chart</source>
      <translation>职位关系图</translation>
    </message>
    <message>
      <source>Positions</source>
      <translation>职位</translation>
    </message>
    <message>
      <source>Role permissions</source>
      <translation>角色权限组授权</translation>
    </message>
    <message>
      <source>Roles</source>
      <translation>权限角色组</translation>
    </message>
    <message>
      <source>Sessions</source>
      <translation>在线会话</translation>
    </message>
  </context>
  <context>
    <name>ApprovalMenu</name>
    <message>
      <source>Approval flows</source>
      <translation>审批流程设置</translation>
    </message>
    <message>
      <source>Approvals waiting: %1</source>
      <translation>待审批：%1</translation>
    </message>
    <message>
      <source>Delegate my approvals…</source>
      <translation>审批委托代理…</translation>
    </message>
    <message>
      <source>My approvals</source>
      <translation>我的审批</translation>
    </message>
  </context>
  <context>
    <name>CustomerMenu</name>
    <message>
      <source>Customer base settings</source>
      <translation>客户档案基础信息设置</translation>
    </message>
    <message>
      <source>Customer permissions</source>
      <translation>客户档案权限分配</translation>
    </message>
    <message>
      <source>Customers</source>
      <translation>客户档案</translation>
    </message>
    <message>
      <source>Import customers</source>
      <translation>批量导入客户</translation>
    </message>
    <message>
      <source>New customer</source>
      <translation>新增客户</translation>
    </message>
  </context>
  <context>
    <name>FileDialogs</name>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>File name:</source>
      <translation>文件名：</translation>
    </message>
    <message>
      <source>Files of type:</source>
      <translation>文件类型：</translation>
    </message>
    <message>
      <source>Look in:</source>
      <translation>查找范围：</translation>
    </message>
    <message>
      <source>Open</source>
      <translation>打开</translation>
    </message>
    <message>
      <source>Save</source>
      <translation>保存</translation>
    </message>
  </context>
  <context>
    <name>Followup</name>
    <message>
      <source> min before</source>
      <translation> 分钟前</translation>
    </message>
    <message>
      <source>%1 due</source>
      <translation>%1 条到期</translation>
    </message>
    <message>
      <source>-- none --</source>
      <translation>--无--</translation>
    </message>
    <message>
      <source>Add record…</source>
      <translation>添加记录…</translation>
    </message>
    <message>
      <source>By SMS</source>
      <translation>短信提醒</translation>
    </message>
    <message>
      <source>By e-mail</source>
      <translation>邮件提醒</translation>
    </message>
    <message>
      <source>Carry out contact plan</source>
      <translation>执行联系计划</translation>
    </message>
    <message>
      <source>Carry out…</source>
      <translation>执行…</translation>
    </message>
    <message>
      <source>Contact management</source>
      <translation>联系管理</translation>
    </message>
    <message>
      <source>Contact person</source>
      <translation>联系人</translation>
    </message>
    <message>
      <source>Contact plan</source>
      <translation>联系计划</translation>
    </message>
    <message>
      <source>Contact plans</source>
      <translation>联系计划</translation>
    </message>
    <message>
      <source>Contact record</source>
      <translation>联系记录</translation>
    </message>
    <message>
      <source>Contact records</source>
      <translation>联系记录</translation>
    </message>
    <message>
      <source>Contact time</source>
      <translation>联系时间</translation>
    </message>
    <message>
      <source>Contacted</source>
      <translation>联系时间</translation>
    </message>
    <message>
      <source>Content</source>
      <translation>联系内容</translation>
    </message>
    <message>
      <source>Customer</source>
      <translation>客户名称</translation>
    </message>
    <message>
      <source>Done</source>
      <translation>已执行</translation>
    </message>
    <message>
      <source>E-mail</source>
      <translation>邮件</translation>
    </message>
    <message>
      <source>Follower</source>
      <translation>跟进人</translation>
    </message>
    <message>
      <source>Handler</source>
      <translation>经手人</translation>
    </message>
    <message>
      <source>New plan…</source>
      <translation>新建计划…</translation>
    </message>
    <message>
      <source>Other</source>
      <translation>其他</translation>
    </message>
    <message>
      <source>Overdue</source>
      <translation>已逾期</translation>
    </message>
    <message>
      <source>Phone</source>
      <translation>电话</translation>
    </message>
    <message>
      <source>Plan the next contact</source>
      <translation>下次联系计划</translation>
    </message>
    <message>
      <source>Planned</source>
      <translation>计划时间</translation>
    </message>
    <message>
      <source>Planned by</source>
      <translation>计划人</translation>
    </message>
    <message>
      <source>Planned time</source>
      <translation>计划时间</translation>
    </message>
    <message>
      <source>QQ / WeChat</source>
      <translation>QQ/微信</translation>
    </message>
    <message>
      <source>Remind</source>
      <translation>提醒</translation>
    </message>
    <message>
      <source>SMS</source>
      <translation>短信</translation>
    </message>
    <message>
      <source>Sales reminders</source>
      <translation>销售提醒</translation>
    </message>
    <message>
      <source>Subject</source>
      <translation>联系主题</translation>
    </message>
    <message>
      <source>This week</source>
      <translation>本周</translation>
    </message>
    <message>
      <source>Time</source>
      <translation>时间</translation>
    </message>
    <message>
      <source>Today</source>
      <translation>今天</translation>
    </message>
    <message>
      <source>Visit</source>
      <translation>拜访</translation>
    </message>
    <message>
      <source>Way</source>
      <translation>联系方式</translation>
    </message>
    <message>
      <source>Yes</source>
      <translation>是</translation>
    </message>
  </context>
  <context>
    <name>FollowupMenu</name>
    <message>
      <source>%1 contact plan(s) due</source>
      <translation>%1 个联系计划到期</translation>
    </message>
    <message>
      <source>Add contact record</source>
      <translation>添加联系记录</translation>
    </message>
    <message>
      <source>CRM reminders</source>
      <translation>CRM 提醒</translation>
    </message>
    <message>
      <source>Contact management</source>
      <translation>联系管理</translation>
    </message>
    <message>
      <source>E-mail and SMS reminders</source>
      <translation>邮件短信提醒设置</translation>
    </message>
    <message>
      <source>My sales pipeline</source>
      <translation>我的销售漏斗</translation>
    </message>
    <message>
      <source>New contact plan</source>
      <translation>新建联系计划</translation>
    </message>
    <message>
      <source>New opportunity</source>
      <translation>新建销售机会</translation>
    </message>
    <message>
      <source>Opportunities</source>
      <translation>销售机会</translation>
    </message>
    <message>
      <source>Reminders: %1</source>
      <translation>提醒：%1</translation>
    </message>
    <message>
      <source>Sales analysis</source>
      <translation>销售分析</translation>
    </message>
    <message>
      <source>Sales pipeline</source>
      <translation>销售漏斗看板</translation>
    </message>
    <message>
      <source>Sales reminders</source>
      <translation>销售提醒</translation>
    </message>
    <message>
      <source>Select a customer in the customer list first.</source>
      <translation>请先在客户列表中选择一个客户。</translation>
    </message>
  </context>
  <context>
    <name>Opportunities</name>
    <message>
      <source>-- choose --</source>
      <translation>--请选择--</translation>
    </message>
    <message>
      <source>Analysis</source>
      <translation>分析</translation>
    </message>
    <message>
      <source>Customer</source>
      <translation>客户名称</translation>
    </message>
    <message>
      <source>Details</source>
      <translation>详细信息</translation>
    </message>
    <message>
      <source>End</source>
      <translation>结束时间</translation>
    </message>
    <message>
      <source>Expected amount (yuan)</source>
      <translation>预计金额（元）</translation>
    </message>
    <message>
      <source>Following up</source>
      <translation>跟进中</translation>
    </message>
    <message>
      <source>High</source>
      <translation>高</translation>
    </message>
    <message>
      <source>Importance</source>
      <translation>重要程度</translation>
    </message>
    <message>
      <source>Lost</source>
      <translation>失败</translation>
    </message>
    <message>
      <source>Low</source>
      <translation>低</translation>
    </message>
    <message>
      <source>Normal</source>
      <translation>一般</translation>
    </message>
    <message>
      <source>On hold</source>
      <translation>搁置</translation>
    </message>
    <message>
      <source>Opportunity</source>
      <translation>销售机会</translation>
    </message>
    <message>
      <source>Owner</source>
      <translation>负责人</translation>
    </message>
    <message>
      <source>Probability (%)</source>
      <translation>成功可能性（%）</translation>
    </message>
    <message>
      <source>Reason lost</source>
      <translation>失败原因</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>Sales stage</source>
      <translation>销售阶段</translation>
    </message>
    <message>
      <source>Start</source>
      <translation>开始时间</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Title</source>
      <translation>机会名称</translation>
    </message>
    <message>
      <source>Type</source>
      <translation>机会类型</translation>
    </message>
    <message>
      <source>Won</source>
      <translation>成功</translation>
    </message>
  </context>
  <context>
    <name>OverviewPage</name>
    <message>
      <source>%1 permission(s)</source>
      <translation>%1 项权限</translation>
    </message>
    <message>
      <source>All (administrator)</source>
      <translation>全部权限（系统管理员）</translation>
    </message>
    <message>
      <source>All of this is under the System menu; drag an account onto a position in the organisation tree to move it.</source>
      <translation>以上操作都在“系统管理”菜单中；在左侧组织架构中把人员拖到职位上即可调整其职位。</translation>
    </message>
    <message>
      <source>Create the accounts</source>
      <translation>建帐号</translation>
    </message>
    <message>
      <source>Create the departments</source>
      <translation>建部门</translation>
    </message>
    <message>
      <source>Create the organisations</source>
      <translation>建机构</translation>
    </message>
    <message>
      <source>Create the positions</source>
      <translation>建职位</translation>
    </message>
    <message>
      <source>Create the roles</source>
      <translation>建权限角色组</translation>
    </message>
    <message>
      <source>Give the accounts their roles</source>
      <translation>给帐号分配角色权限组</translation>
    </message>
    <message>
      <source>Give the roles their permissions</source>
      <translation>给角色权限组分配权限</translation>
    </message>
    <message>
      <source>Login</source>
      <translation>帐号</translation>
    </message>
    <message>
      <source>My account</source>
      <translation>我的帐号</translation>
    </message>
    <message>
      <source>No main position yet</source>
      <translation>尚未分配主要职位</translation>
    </message>
    <message>
      <source>None</source>
      <translation>无</translation>
    </message>
    <message>
      <source>Permissions</source>
      <translation>权限</translation>
    </message>
    <message>
      <source>Roles</source>
      <translation>权限角色</translation>
    </message>
    <message>
      <source>Server</source>
      <translation>服务器</translation>
    </message>
    <message>
      <source>Setting up the system</source>
      <translation>系统架构搭建流程</translation>
    </message>
    <message>
      <source>Welcome, %1</source>
      <translation>欢迎您，%1</translation>
    </message>
  </context>
  <context>
    <name>Pipeline</name>
    <message>
      <source>%1 days in stage</source>
      <translation>本阶段 %1 天</translation>
    </message>
    <message>
      <source>%1 more not shown</source>
      <translation>另有 %1 个未显示</translation>
    </message>
    <message>
      <source>All departments</source>
      <translation>全部部门</translation>
    </message>
    <message>
      <source>All owners</source>
      <translation>全部负责人</translation>
    </message>
    <message>
      <source>All teams</source>
      <translation>全部销售团队</translation>
    </message>
    <message>
      <source>Any time</source>
      <translation>不限时间</translation>
    </message>
    <message>
      <source>Close date passed</source>
      <translation>已过结束时间</translation>
    </message>
    <message>
      <source>Closing this month</source>
      <translation>本月结束</translation>
    </message>
    <message>
      <source>Closing this quarter</source>
      <translation>本季度结束</translation>
    </message>
    <message>
      <source>Closing this year</source>
      <translation>本年结束</translation>
    </message>
    <message>
      <source>Department</source>
      <translation>部门</translation>
    </message>
    <message>
      <source>Expected close</source>
      <translation>预计结束</translation>
    </message>
    <message>
      <source>Lost opportunity</source>
      <translation>输单</translation>
    </message>
    <message>
      <source>My open opportunities: %1
Total: %2
Weighted: %3</source>
      <translation>我跟进中的销售机会：%1
合计金额：%2
加权金额：%3</translation>
    </message>
    <message>
      <source>Next contact</source>
      <translation>下次联系</translation>
    </message>
    <message>
      <source>Owner</source>
      <translation>负责人</translation>
    </message>
    <message>
      <source>Period</source>
      <translation>期间</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>Sales pipeline</source>
      <translation>销售漏斗看板</translation>
    </message>
    <message>
      <source>Sales team</source>
      <translation>销售团队</translation>
    </message>
    <message>
      <source>Total</source>
      <translation>合计</translation>
    </message>
    <message>
      <source>Weighted</source>
      <translation>加权</translation>
    </message>
    <message>
      <source>Why was %1 lost?</source>
      <translation>%1 为什么输单？</translation>
    </message>
  </context>
  <context>
    <name>ProductMenu</name>
    <message>
      <source>Import products</source>
      <translation>导入产品</translation>
    </message>
    <message>
      <source>Product base settings</source>
      <translation>产品基础信息设置</translation>
    </message>
    <message>
      <source>Products</source>
      <translation>产品管理</translation>
    </message>
  </context>
  <context>
    <name>QuoteMenu</name>
    <message>
      <source>Quotes</source>
      <translation>报价单</translation>
    </message>
  </context>
  <context>
    <name>ReminderSettings</name>
    <message>
      <source> s</source>
      <translation> 秒</translation>
    </message>
    <message>
      <source>Attempts</source>
      <translation>最多尝试次数</translation>
    </message>
    <message>
      <source>Channel</source>
      <translation>方式</translation>
    </message>
    <message>
      <source>Customer</source>
      <translation>客户名称</translation>
    </message>
    <message>
      <source>Due</source>
      <translation>提醒时间</translation>
    </message>
    <message>
      <source>E-mail</source>
      <translation>邮件</translation>
    </message>
    <message>
      <source>E-mail (the office's SMTP server)</source>
      <translation>邮件（公司的 SMTP 服务器）</translation>
    </message>
    <message>
      <source>E-mail and SMS reminders</source>
      <translation>邮件短信提醒设置</translation>
    </message>
    <message>
      <source>Encryption</source>
      <translation>加密方式</translation>
    </message>
    <message>
      <source>Error</source>
      <translation>错误</translation>
    </message>
    <message>
      <source>First retry after</source>
      <translation>首次重试间隔</translation>
    </message>
    <message>
      <source>Follower</source>
      <translation>跟进人</translation>
    </message>
    <message>
      <source>Gateway URL</source>
      <translation>网关地址</translation>
    </message>
    <message>
      <source>Login</source>
      <translation>登录帐号</translation>
    </message>
    <message>
      <source>None (not recommended)</source>
      <translation>不加密（不推荐）</translation>
    </message>
    <message>
      <source>Password</source>
      <translation>密码</translation>
    </message>
    <message>
      <source>Port</source>
      <translation>端口</translation>
    </message>
    <message>
      <source>Reminders that could not be sent</source>
      <translation>发送失败的提醒</translation>
    </message>
    <message>
      <source>Retries</source>
      <translation>重试</translation>
    </message>
    <message>
      <source>SMS</source>
      <translation>短信</translation>
    </message>
    <message>
      <source>SMS (HTTP gateway)</source>
      <translation>短信（HTTP 网关）</translation>
    </message>
    <message>
      <source>SSL/TLS</source>
      <translation>SSL/TLS</translation>
    </message>
    <message>
      <source>STARTTLS</source>
      <translation>STARTTLS</translation>
    </message>
    <message>
      <source>Send SMS reminders</source>
      <translation>发送短信提醒</translation>
    </message>
    <message>
      <source>Send e-mail reminders</source>
      <translation>发送邮件提醒</translation>
    </message>
    <message>
      <source>Send the selected again</source>
      <translation>重新发送所选提醒</translation>
    </message>
    <message>
      <source>Sender address</source>
      <translation>发件人地址</translation>
    </message>
    <message>
      <source>Server</source>
      <translation>服务器</translation>
    </message>
    <message>
      <source>Token</source>
      <translation>令牌</translation>
    </message>
    <message>
      <source>not set</source>
      <translation>未设置</translation>
    </message>
    <message>
      <source>set — leave empty to keep</source>
      <translation>已设置（留空则不变）</translation>
    </message>
  </context>
  <context>
    <name>SalesAnalysis</name>
    <message>
      <source>%1 days</source>
      <translation>%1 天</translation>
    </message>
    <message>
      <source>%1 opportunities</source>
      <translation>%1 个</translation>
    </message>
    <message>
      <source>All opportunities</source>
      <translation>全部销售机会</translation>
    </message>
    <message>
      <source>Amount</source>
      <translation>金额</translation>
    </message>
    <message>
      <source>Average days in stage</source>
      <translation>各阶段平均停留天数</translation>
    </message>
    <message>
      <source>Average days to win</source>
      <translation>平均赢单天数</translation>
    </message>
    <message>
      <source>Count</source>
      <translation>数量</translation>
    </message>
    <message>
      <source>Export to Excel</source>
      <translation>导出 Excel</translation>
    </message>
    <message>
      <source>Figure</source>
      <translation>指标</translation>
    </message>
    <message>
      <source>Funnel</source>
      <translation>漏斗</translation>
    </message>
    <message>
      <source>Lost</source>
      <translation>输单</translation>
    </message>
    <message>
      <source>Month</source>
      <translation>月份</translation>
    </message>
    <message>
      <source>No data</source>
      <translation>暂无数据</translation>
    </message>
    <message>
      <source>Period</source>
      <translation>期间</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>Sales analysis</source>
      <translation>销售分析</translation>
    </message>
    <message>
      <source>Sales analysis exported</source>
      <translation>销售分析已导出</translation>
    </message>
    <message>
      <source>Sales funnel (count and amount per stage)</source>
      <translation>销售漏斗（各阶段数量与金额）</translation>
    </message>
    <message>
      <source>Salesperson</source>
      <translation>销售员</translation>
    </message>
    <message>
      <source>Stage</source>
      <translation>阶段</translation>
    </message>
    <message>
      <source>Started this month</source>
      <translation>本月开始</translation>
    </message>
    <message>
      <source>Started this quarter</source>
      <translation>本季度开始</translation>
    </message>
    <message>
      <source>Started this year</source>
      <translation>本年开始</translation>
    </message>
    <message>
      <source>Summary</source>
      <translation>汇总</translation>
    </message>
    <message>
      <source>Value</source>
      <translation>数值</translation>
    </message>
    <message>
      <source>Win rate (%)</source>
      <translation>赢率（%）</translation>
    </message>
    <message>
      <source>Won</source>
      <translation>赢单</translation>
    </message>
    <message>
      <source>Won %1, lost %2, win rate %3; average %4 days from creation to won</source>
      <translation>赢单 %1 个，输单 %2 个，赢率 %3；从创建到赢单平均 %4 天</translation>
    </message>
    <message>
      <source>Won amount by month</source>
      <translation>按月赢单金额</translation>
    </message>
    <message>
      <source>Won amount by salesperson</source>
      <translation>按销售员赢单金额</translation>
    </message>
    <message>
      <source>Won by month</source>
      <translation>按月赢单</translation>
    </message>
    <message>
      <source>Won by salesperson</source>
      <translation>按销售员赢单</translation>
    </message>
  </context>
</TS>
